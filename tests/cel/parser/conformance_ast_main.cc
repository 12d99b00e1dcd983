// Compares our parse trees with the `ast` of every cel-spec conformance case
// (cel-go's debug layout with kind adornments), as exported by
// export_asts.cjs. Exits 0 when all match, 1 otherwise (listing mismatches).
//
// The data shows extension macros (cel.bind, two-variable comprehensions,
// optMap/optFlatMap) unexpanded, so they are compared with those macros off.
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "src/cel/parser/debug_string.h"
#include "src/cel/parser/parser.h"

namespace {

bool ReadField(const std::string& data, size_t* pos, std::string* out) {
  const size_t nl = data.find('\n', *pos);
  if (nl == std::string::npos) return false;
  const size_t len = std::stoul(data.substr(*pos, nl - *pos));
  if (nl + 1 + len > data.size()) return false;
  *out = data.substr(nl + 1, len);
  *pos = nl + 1 + len;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: conformance_ast_main RECORDS_FILE\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::string data((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  pitboss::cel::ParserOptions options;
  options.enable_bind_macro = false;
  options.enable_two_var_comprehensions = false;
  pitboss::cel::KindAdorner kinds;
  size_t pos = 0;
  int total = 0;
  int skipped = 0;
  int failed = 0;
  std::string name, expr, want;
  while (ReadField(data, &pos, &name) && ReadField(data, &pos, &expr) &&
         ReadField(data, &pos, &want)) {
    ++total;
    if (want.find(".optMap(") != std::string::npos ||
        want.find(".optFlatMap(") != std::string::npos) {
      ++skipped;  // expanded by our parser, shown unexpanded in the data
      continue;
    }
    pitboss::cel::ParseResult r = pitboss::cel::ParseWithDiagnostics(expr, options);
    const std::string got = r.ok() ? pitboss::cel::ExprDebugString(r.parsed.expr, &kinds)
                                   : r.FormatErrors();
    if (got != want) {
      ++failed;
      std::cout << "MISMATCH " << name << "\n  expr: " << expr << "\n  want:\n"
                << want << "\n  got:\n"
                << got << "\n";
    }
  }
  std::cout << "conformance ASTs: " << total << " cases, " << (total - skipped - failed)
            << " match, " << failed << " differ, " << skipped << " skipped\n";
  return failed == 0 && total > 0 ? 0 : 1;
}
