// Conformance result matching (see conformance_compare.h).
#include "tests/cel/conformance/conformance_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_comparator.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "src/cli/cel_value_json.h"

namespace pitboss {
namespace conformance {
namespace {

using google::protobuf::Value;  // JSON tree

const Value* Field(const Value& object, absl::string_view name) {
  if (object.kind_case() != Value::kStructValue) return nullptr;
  auto it = object.struct_value().fields().find(std::string(name));
  return it == object.struct_value().fields().end() ? nullptr : &it->second;
}

bool SingleKey(const Value& v, std::string* key, const Value** inner) {
  if (v.kind_case() != Value::kStructValue || v.struct_value().fields().size() != 1) return false;
  *key = v.struct_value().fields().begin()->first;
  *inner = &v.struct_value().fields().begin()->second;
  return true;
}

bool AsDouble(const Value& v, double* out) {
  if (v.kind_case() == Value::kNumberValue) {
    *out = v.number_value();
    return true;
  }
  if (v.kind_case() != Value::kStringValue) return false;
  const std::string& s = v.string_value();
  if (s == "NaN") *out = std::numeric_limits<double>::quiet_NaN();
  else if (s == "Infinity") *out = std::numeric_limits<double>::infinity();
  else if (s == "-Infinity") *out = -std::numeric_limits<double>::infinity();
  else return absl::SimpleAtod(s, out);
  return true;
}

// 64-bit integers as text ("-12"), whether written as strings or numbers.
bool AsIntegerText(const Value& v, std::string* out) {
  if (v.kind_case() == Value::kStringValue) {
    *out = v.string_value();
    return true;
  }
  if (v.kind_case() == Value::kNumberValue && std::trunc(v.number_value()) == v.number_value() &&
      std::fabs(v.number_value()) < 9007199254740992.0) {
    *out = absl::StrCat(static_cast<int64_t>(v.number_value()));
    return true;
  }
  return false;
}

bool Fail(std::string* why, std::string message) {
  if (why != nullptr && why->empty()) *why = std::move(message);
  return false;
}

std::unique_ptr<google::protobuf::Message> DecodeAny(const Value& json, const cli::ProtoTypes& types,
                                                     std::string* error) {
  absl::StatusOr<google::protobuf::Message*> message = cli::MessageFromAnyJson(json, types, nullptr);
  if (!message.ok()) {
    *error = std::string(message.status().message());
    return nullptr;
  }
  return std::unique_ptr<google::protobuf::Message>(*message);
}

bool ObjectsEqual(const Value& expected, const Value& actual, const cli::ProtoTypes& types,
                  std::string* why) {
  std::string error;
  std::unique_ptr<google::protobuf::Message> e = DecodeAny(expected, types, &error);
  if (e == nullptr) return Fail(why, absl::StrCat("expected objectValue: ", error));
  std::unique_ptr<google::protobuf::Message> a = DecodeAny(actual, types, &error);
  if (a == nullptr) return Fail(why, absl::StrCat("actual objectValue: ", error));
  if (e->GetDescriptor() != a->GetDescriptor()) {
    return Fail(why, absl::StrCat("message type ", a->GetTypeName(), " != ", e->GetTypeName()));
  }
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  std::string report;
  differencer.ReportDifferencesToString(&report);
  if (differencer.Compare(*e, *a)) return true;
  return Fail(why, absl::StrCat("messages differ: ", report.substr(0, 200)));
}

}  // namespace

bool CelValueJsonEquals(const Value& expected, const Value& actual, const cli::ProtoTypes& types,
                        std::string* why) {
  std::string ek, ak;
  const Value* ev = nullptr;
  const Value* av = nullptr;
  if (!SingleKey(expected, &ek, &ev)) return Fail(why, "expected value is not a cel.expr.Value");
  if (!SingleKey(actual, &ak, &av)) return Fail(why, "actual value is not a cel.expr.Value");
  if (ek != ak) return Fail(why, absl::StrCat("kind ", ak, " != ", ek));
  if (ek == "nullValue") return true;
  if (ek == "boolValue" || ek == "stringValue" || ek == "typeValue") {
    if (JsonTreeEquals(*ev, *av)) return true;
    return Fail(why, absl::StrCat(ShortJson(actual), " != ", ShortJson(expected)));
  }
  if (ek == "int64Value" || ek == "uint64Value") {
    std::string es, as;
    if (AsIntegerText(*ev, &es) && AsIntegerText(*av, &as) && es == as) return true;
    return Fail(why, absl::StrCat(ShortJson(actual), " != ", ShortJson(expected)));
  }
  if (ek == "doubleValue") {
    double ed, ad;
    if (!AsDouble(*ev, &ed) || !AsDouble(*av, &ad)) return Fail(why, "malformed doubleValue");
    if ((std::isnan(ed) && std::isnan(ad)) || ed == ad) return true;
    return Fail(why, absl::StrCat(ShortJson(actual), " != ", ShortJson(expected)));
  }
  if (ek == "bytesValue") {
    std::string eb, ab;
    if (ev->kind_case() == Value::kStringValue && av->kind_case() == Value::kStringValue &&
        absl::Base64Unescape(ev->string_value(), &eb) &&
        absl::Base64Unescape(av->string_value(), &ab) && eb == ab) {
      return true;
    }
    return Fail(why, absl::StrCat(ShortJson(actual), " != ", ShortJson(expected)));
  }
  if (ek == "enumValue") {
    const Value* et = Field(*ev, "type");
    const Value* at = Field(*av, "type");
    const Value* en = Field(*ev, "value");
    const Value* an = Field(*av, "value");
    bool types_equal = (et == nullptr && at == nullptr) ||
                       (et != nullptr && at != nullptr && JsonTreeEquals(*et, *at));
    double e = en == nullptr ? 0 : en->number_value();
    double a = an == nullptr ? 0 : an->number_value();
    if (types_equal && e == a) return true;
    return Fail(why, absl::StrCat(ShortJson(actual), " != ", ShortJson(expected)));
  }
  if (ek == "listValue") {
    const Value* el = Field(*ev, "values");
    const Value* al = Field(*av, "values");
    int en = el == nullptr ? 0 : el->list_value().values_size();
    int an = al == nullptr ? 0 : al->list_value().values_size();
    if (en != an) return Fail(why, absl::StrCat("list size ", an, " != ", en));
    for (int i = 0; i < en; ++i) {
      if (!CelValueJsonEquals(el->list_value().values(i), al->list_value().values(i), types, why)) {
        return Fail(why, absl::StrCat("list element ", i));
      }
    }
    return true;
  }
  if (ek == "mapValue") {
    const Value* el = Field(*ev, "entries");
    const Value* al = Field(*av, "entries");
    int en = el == nullptr ? 0 : el->list_value().values_size();
    int an = al == nullptr ? 0 : al->list_value().values_size();
    if (en != an) return Fail(why, absl::StrCat("map size ", an, " != ", en));
    std::vector<bool> used(an, false);
    for (int i = 0; i < en; ++i) {
      const Value& e = el->list_value().values(i);
      const Value* ekey = Field(e, "key");
      const Value* evalue = Field(e, "value");
      if (ekey == nullptr || evalue == nullptr) return Fail(why, "malformed expected map entry");
      bool found = false;
      for (int j = 0; j < an && !found; ++j) {
        if (used[j]) continue;
        const Value& a = al->list_value().values(j);
        const Value* akey = Field(a, "key");
        const Value* avalue = Field(a, "value");
        if (akey == nullptr || avalue == nullptr) return Fail(why, "malformed actual map entry");
        if (CelValueJsonEquals(*ekey, *akey, types, nullptr) &&
            CelValueJsonEquals(*evalue, *avalue, types, nullptr)) {
          used[j] = true;
          found = true;
        }
      }
      if (!found) return Fail(why, absl::StrCat("no entry matches ", ShortJson(e)));
    }
    return true;
  }
  if (ek == "objectValue") return ObjectsEqual(*ev, *av, types, why);
  return Fail(why, absl::StrCat("unknown value kind ", ek));
}

bool JsonTreeEquals(const Value& a, const Value& b) {
  if (a.kind_case() != b.kind_case()) return false;
  switch (a.kind_case()) {
    case Value::kNullValue:
    case Value::KIND_NOT_SET:
      return true;
    case Value::kNumberValue:
      return a.number_value() == b.number_value();
    case Value::kStringValue:
      return a.string_value() == b.string_value();
    case Value::kBoolValue:
      return a.bool_value() == b.bool_value();
    case Value::kListValue:
      if (a.list_value().values_size() != b.list_value().values_size()) return false;
      for (int i = 0; i < a.list_value().values_size(); ++i) {
        if (!JsonTreeEquals(a.list_value().values(i), b.list_value().values(i))) return false;
      }
      return true;
    case Value::kStructValue: {
      const auto& af = a.struct_value().fields();
      const auto& bf = b.struct_value().fields();
      if (af.size() != bf.size()) return false;
      for (const auto& [key, value] : af) {
        auto it = bf.find(key);
        if (it == bf.end() || !JsonTreeEquals(value, it->second)) return false;
      }
      return true;
    }
  }
  return false;
}

std::string ShortJson(const Value& value, size_t max_chars) {
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(value, &text).ok()) text = "<unprintable>";
  if (text.size() > max_chars) text = absl::StrCat(text.substr(0, max_chars), "...");
  return text;
}

Judgement Judge(const Value& test, const Value& result, const cli::ProtoTypes& types) {
  Judgement j;
  auto fail = [&j](std::string reason) {
    j.verdict = Verdict::kFail;
    j.reason = std::move(reason);
    return j;
  };
  auto pass = [&j]() {
    j.verdict = Verdict::kPass;
    j.reason.clear();
    return j;
  };
  const Value* error = Field(result, "error");
  const Value* stage = Field(result, "stage");
  const Value* value = Field(result, "value");
  const Value* type = Field(result, "type");
  const Value* unknown = Field(result, "unknown");
  auto got = [&]() -> std::string {
    if (error != nullptr) {
      return absl::StrCat(stage != nullptr ? stage->string_value() : "?", " error: ",
                          error->string_value().substr(0, 200));
    }
    if (unknown != nullptr) return "unknown";
    if (value != nullptr) return ShortJson(*value);
    if (type != nullptr) return absl::StrCat("type ", ShortJson(*type));
    return ShortJson(result);
  };

  const Value* check_only = Field(test, "checkOnly");
  bool only_check = check_only != nullptr && check_only->bool_value();

  if (const Value* typed = Field(test, "typedResult")) {
    if (error != nullptr) return fail(absl::StrCat("want a typed result, got ", got()));
    const Value* want_type = Field(*typed, "deducedType");
    if (want_type != nullptr) {
      if (type == nullptr) return fail("no deduced type reported");
      if (!JsonTreeEquals(*want_type, *type)) {
        return fail(absl::StrCat("type ", ShortJson(*type), " != ", ShortJson(*want_type)));
      }
    }
    const Value* want_value = Field(*typed, "result");
    if (want_value != nullptr && !only_check) {
      if (value == nullptr) return fail(absl::StrCat("want ", ShortJson(*want_value), ", got ", got()));
      std::string why;
      if (!CelValueJsonEquals(*want_value, *value, types, &why)) return fail(why);
    }
    return pass();
  }
  if (Field(test, "evalError") != nullptr || Field(test, "anyEvalErrors") != nullptr) {
    if (error != nullptr && stage != nullptr && stage->string_value() == "eval") return pass();
    return fail(absl::StrCat("want an evaluation error, got ", got()));
  }
  if (Field(test, "unknown") != nullptr || Field(test, "anyUnknowns") != nullptr) {
    if (unknown != nullptr) return pass();
    return fail(absl::StrCat("want unknown, got ", got()));
  }
  Value want_true;
  want_true.mutable_struct_value()->mutable_fields()->operator[]("boolValue").set_bool_value(true);
  const Value* want = Field(test, "value");
  if (want == nullptr) want = &want_true;
  if (only_check) return error == nullptr ? pass() : fail(got());
  if (value == nullptr) return fail(absl::StrCat("want ", ShortJson(*want), ", got ", got()));
  std::string why;
  if (CelValueJsonEquals(*want, *value, types, &why)) return pass();
  return fail(why);
}

}  // namespace conformance
}  // namespace pitboss
