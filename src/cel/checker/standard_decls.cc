// The standard declarations table (see standard_decls.h). Overload ids follow
// the definition (the ids cel-go and cel-cpp use), so checked expressions and
// the runtime registry agree on what each call means.
#include "src/cel/checker/standard_decls.h"

#include <string>
#include <utility>

namespace pitboss {
namespace cel {
namespace {

using T = CelType;

// Builds a function declaration overload by overload.
class Fn {
 public:
  explicit Fn(std::string name) { decl_.name = std::move(name); }
  Fn& Global(std::string id, std::vector<T> params, T result) {
    decl_.overloads.push_back({std::move(id), std::move(params), std::move(result), false});
    return *this;
  }
  Fn& Member(std::string id, std::vector<T> params, T result) {
    decl_.overloads.push_back({std::move(id), std::move(params), std::move(result), true});
    return *this;
  }
  FunctionDecl Build() { return std::move(decl_); }

 private:
  FunctionDecl decl_;
};

// less / less_equals / greater / greater_equals with the heterogeneous numeric
// overloads.
FunctionDecl Ordering(const std::string& op, const std::string& prefix) {
  Fn f(op);
  const T b = T::Bool();
  f.Global(prefix + "_bool", {b, b}, b)
      .Global(prefix + "_int64", {T::Int(), T::Int()}, b)
      .Global(prefix + "_int64_double", {T::Int(), T::Double()}, b)
      .Global(prefix + "_int64_uint64", {T::Int(), T::Uint()}, b)
      .Global(prefix + "_uint64", {T::Uint(), T::Uint()}, b)
      .Global(prefix + "_uint64_double", {T::Uint(), T::Double()}, b)
      .Global(prefix + "_uint64_int64", {T::Uint(), T::Int()}, b)
      .Global(prefix + "_double", {T::Double(), T::Double()}, b)
      .Global(prefix + "_double_int64", {T::Double(), T::Int()}, b)
      .Global(prefix + "_double_uint64", {T::Double(), T::Uint()}, b)
      .Global(prefix + "_string", {T::String(), T::String()}, b)
      .Global(prefix + "_bytes", {T::Bytes(), T::Bytes()}, b)
      .Global(prefix + "_timestamp", {T::Timestamp(), T::Timestamp()}, b)
      .Global(prefix + "_duration", {T::Duration(), T::Duration()}, b);
  return f.Build();
}

// A timestamp accessor with its optional time zone argument, and optionally
// the duration overload.
FunctionDecl TimeAccessor(const std::string& name, const std::string& ts_id,
                          const std::string& ts_tz_id, const std::string& dur_id) {
  Fn f(name);
  f.Member(ts_id, {T::Timestamp()}, T::Int())
      .Member(ts_tz_id, {T::Timestamp(), T::String()}, T::Int());
  if (!dur_id.empty()) f.Member(dur_id, {T::Duration()}, T::Int());
  return f.Build();
}

std::vector<FunctionDecl> BuildStandard() {
  const T a = T::Param("A");
  const T b = T::Param("B");
  const T boolean = T::Bool();
  const T i = T::Int();
  const T u = T::Uint();
  const T d = T::Double();
  const T s = T::String();
  const T by = T::Bytes();
  const T ts = T::Timestamp();
  const T du = T::Duration();
  const T list_a = T::List(a);
  const T map_ab = T::Map(a, b);

  std::vector<FunctionDecl> fns;
  // Logic.
  fns.push_back(Fn("!_").Global("logical_not", {boolean}, boolean).Build());
  fns.push_back(Fn("_&&_").Global("logical_and", {boolean, boolean}, boolean).Build());
  fns.push_back(Fn("_||_").Global("logical_or", {boolean, boolean}, boolean).Build());
  fns.push_back(Fn("_?_:_").Global("conditional", {boolean, a, a}, a).Build());
  fns.push_back(
      Fn("@not_strictly_false").Global("not_strictly_false", {boolean}, boolean).Build());
  // Equality and ordering.
  fns.push_back(Fn("_==_").Global("equals", {a, a}, boolean).Build());
  fns.push_back(Fn("_!=_").Global("not_equals", {a, a}, boolean).Build());
  fns.push_back(Ordering("_<_", "less"));
  fns.push_back(Ordering("_<=_", "less_equals"));
  fns.push_back(Ordering("_>_", "greater"));
  fns.push_back(Ordering("_>=_", "greater_equals"));
  // Arithmetic.
  fns.push_back(Fn("-_")
                    .Global("negate_int64", {i}, i)
                    .Global("negate_double", {d}, d)
                    .Build());
  fns.push_back(Fn("_+_")
                    .Global("add_int64", {i, i}, i)
                    .Global("add_uint64", {u, u}, u)
                    .Global("add_double", {d, d}, d)
                    .Global("add_string", {s, s}, s)
                    .Global("add_bytes", {by, by}, by)
                    .Global("add_list", {list_a, list_a}, list_a)
                    .Global("add_timestamp_duration", {ts, du}, ts)
                    .Global("add_duration_timestamp", {du, ts}, ts)
                    .Global("add_duration_duration", {du, du}, du)
                    .Build());
  fns.push_back(Fn("_-_")
                    .Global("subtract_int64", {i, i}, i)
                    .Global("subtract_uint64", {u, u}, u)
                    .Global("subtract_double", {d, d}, d)
                    .Global("subtract_timestamp_timestamp", {ts, ts}, du)
                    .Global("subtract_timestamp_duration", {ts, du}, ts)
                    .Global("subtract_duration_duration", {du, du}, du)
                    .Build());
  fns.push_back(Fn("_*_")
                    .Global("multiply_int64", {i, i}, i)
                    .Global("multiply_uint64", {u, u}, u)
                    .Global("multiply_double", {d, d}, d)
                    .Build());
  fns.push_back(Fn("_/_")
                    .Global("divide_int64", {i, i}, i)
                    .Global("divide_uint64", {u, u}, u)
                    .Global("divide_double", {d, d}, d)
                    .Build());
  fns.push_back(Fn("_%_")
                    .Global("modulo_int64", {i, i}, i)
                    .Global("modulo_uint64", {u, u}, u)
                    .Build());
  // Indexing and membership.
  fns.push_back(Fn("_[_]")
                    .Global("index_list", {list_a, i}, a)
                    .Global("index_map", {map_ab, a}, b)
                    .Build());
  fns.push_back(Fn("@in")
                    .Global("in_list", {a, list_a}, boolean)
                    .Global("in_map", {a, map_ab}, boolean)
                    .Build());
  // Size and string predicates.
  fns.push_back(Fn("size")
                    .Global("size_string", {s}, i)
                    .Global("size_bytes", {by}, i)
                    .Global("size_list", {list_a}, i)
                    .Global("size_map", {map_ab}, i)
                    .Member("string_size", {s}, i)
                    .Member("bytes_size", {by}, i)
                    .Member("list_size", {list_a}, i)
                    .Member("map_size", {map_ab}, i)
                    .Build());
  fns.push_back(Fn("contains").Member("contains_string", {s, s}, boolean).Build());
  fns.push_back(Fn("startsWith").Member("starts_with_string", {s, s}, boolean).Build());
  fns.push_back(Fn("endsWith").Member("ends_with_string", {s, s}, boolean).Build());
  fns.push_back(Fn("matches")
                    .Global("matches", {s, s}, boolean)
                    .Member("matches_string", {s, s}, boolean)
                    .Build());
  // Conversions.
  fns.push_back(Fn("int")
                    .Global("int64_to_int64", {i}, i)
                    .Global("uint64_to_int64", {u}, i)
                    .Global("double_to_int64", {d}, i)
                    .Global("string_to_int64", {s}, i)
                    .Global("timestamp_to_int64", {ts}, i)
                    .Build());
  fns.push_back(Fn("uint")
                    .Global("uint64_to_uint64", {u}, u)
                    .Global("int64_to_uint64", {i}, u)
                    .Global("double_to_uint64", {d}, u)
                    .Global("string_to_uint64", {s}, u)
                    .Build());
  fns.push_back(Fn("double")
                    .Global("double_to_double", {d}, d)
                    .Global("int64_to_double", {i}, d)
                    .Global("uint64_to_double", {u}, d)
                    .Global("string_to_double", {s}, d)
                    .Build());
  fns.push_back(Fn("bool")
                    .Global("bool_to_bool", {boolean}, boolean)
                    .Global("string_to_bool", {s}, boolean)
                    .Build());
  fns.push_back(Fn("bytes")
                    .Global("bytes_to_bytes", {by}, by)
                    .Global("string_to_bytes", {s}, by)
                    .Build());
  fns.push_back(Fn("string")
                    .Global("string_to_string", {s}, s)
                    .Global("bool_to_string", {boolean}, s)
                    .Global("int64_to_string", {i}, s)
                    .Global("uint64_to_string", {u}, s)
                    .Global("double_to_string", {d}, s)
                    .Global("bytes_to_string", {by}, s)
                    .Global("timestamp_to_string", {ts}, s)
                    .Global("duration_to_string", {du}, s)
                    .Build());
  fns.push_back(Fn("timestamp")
                    .Global("timestamp_to_timestamp", {ts}, ts)
                    .Global("string_to_timestamp", {s}, ts)
                    .Global("int64_to_timestamp", {i}, ts)
                    .Build());
  fns.push_back(Fn("duration")
                    .Global("duration_to_duration", {du}, du)
                    .Global("string_to_duration", {s}, du)
                    .Build());
  fns.push_back(Fn("type").Global("type", {a}, T::TypeOf(a)).Build());
  fns.push_back(Fn("dyn").Global("to_dyn", {a}, T::Dyn()).Build());
  // Timestamp and duration accessors.
  fns.push_back(
      TimeAccessor("getFullYear", "timestamp_to_year", "timestamp_to_year_with_tz", ""));
  fns.push_back(
      TimeAccessor("getMonth", "timestamp_to_month", "timestamp_to_month_with_tz", ""));
  fns.push_back(TimeAccessor("getDayOfYear", "timestamp_to_day_of_year",
                             "timestamp_to_day_of_year_with_tz", ""));
  fns.push_back(TimeAccessor("getDayOfMonth", "timestamp_to_day_of_month",
                             "timestamp_to_day_of_month_with_tz", ""));
  fns.push_back(TimeAccessor("getDate", "timestamp_to_day_of_month_1_based",
                             "timestamp_to_day_of_month_1_based_with_tz", ""));
  fns.push_back(TimeAccessor("getDayOfWeek", "timestamp_to_day_of_week",
                             "timestamp_to_day_of_week_with_tz", ""));
  fns.push_back(TimeAccessor("getHours", "timestamp_to_hours", "timestamp_to_hours_with_tz",
                             "duration_to_hours"));
  fns.push_back(TimeAccessor("getMinutes", "timestamp_to_minutes",
                             "timestamp_to_minutes_with_tz", "duration_to_minutes"));
  fns.push_back(TimeAccessor("getSeconds", "timestamp_to_seconds", "timestamp_to_seconds_tz",
                             "duration_to_seconds"));
  fns.push_back(TimeAccessor("getMilliseconds", "timestamp_to_milliseconds",
                             "timestamp_to_milliseconds_with_tz",
                             "duration_to_milliseconds"));
  return fns;
}

std::vector<FunctionDecl> BuildStrings() {
  const T i = T::Int();
  const T s = T::String();
  const T list_s = T::List(s);
  std::vector<FunctionDecl> fns;
  fns.push_back(Fn("charAt").Member("string_char_at_int", {s, i}, s).Build());
  fns.push_back(Fn("indexOf")
                    .Member("string_index_of_string", {s, s}, i)
                    .Member("string_index_of_string_int", {s, s, i}, i)
                    .Build());
  fns.push_back(Fn("lastIndexOf")
                    .Member("string_last_index_of_string", {s, s}, i)
                    .Member("string_last_index_of_string_int", {s, s, i}, i)
                    .Build());
  fns.push_back(Fn("lowerAscii").Member("string_lower_ascii", {s}, s).Build());
  fns.push_back(Fn("upperAscii").Member("string_upper_ascii", {s}, s).Build());
  fns.push_back(Fn("replace")
                    .Member("string_replace_string_string", {s, s, s}, s)
                    .Member("string_replace_string_string_int", {s, s, s, i}, s)
                    .Build());
  fns.push_back(Fn("split")
                    .Member("string_split_string", {s, s}, list_s)
                    .Member("string_split_string_int", {s, s, i}, list_s)
                    .Build());
  fns.push_back(Fn("substring")
                    .Member("string_substring_int", {s, i}, s)
                    .Member("string_substring_int_int", {s, i, i}, s)
                    .Build());
  fns.push_back(Fn("trim").Member("string_trim", {s}, s).Build());
  fns.push_back(Fn("join")
                    .Member("list_join", {list_s}, s)
                    .Member("list_join_string", {list_s, s}, s)
                    .Build());
  fns.push_back(
      Fn("format").Member("string_format", {s, T::List(T::Dyn())}, s).Build());
  fns.push_back(Fn("strings.quote").Global("strings_quote", {s}, s).Build());
  fns.push_back(Fn("reverse").Member("string_reverse", {s}, s).Build());
  return fns;
}

FunctionDecl MinMax(const std::string& name, const std::string& prefix) {
  const T i = T::Int();
  const T u = T::Uint();
  const T d = T::Double();
  const T dyn = T::Dyn();
  Fn f(name);
  f.Global(prefix + "_int", {i}, i)
      .Global(prefix + "_uint", {u}, u)
      .Global(prefix + "_double", {d}, d)
      .Global(prefix + "_int_int", {i, i}, i)
      .Global(prefix + "_uint_uint", {u, u}, u)
      .Global(prefix + "_double_double", {d, d}, d)
      .Global(prefix + "_int_uint", {i, u}, dyn)
      .Global(prefix + "_int_double", {i, d}, dyn)
      .Global(prefix + "_uint_int", {u, i}, dyn)
      .Global(prefix + "_uint_double", {u, d}, dyn)
      .Global(prefix + "_double_int", {d, i}, dyn)
      .Global(prefix + "_double_uint", {d, u}, dyn)
      .Global(prefix + "_list_int", {T::List(i)}, i)
      .Global(prefix + "_list_uint", {T::List(u)}, u)
      .Global(prefix + "_list_double", {T::List(d)}, d);
  return f.Build();
}

std::vector<FunctionDecl> BuildMath() {
  const T boolean = T::Bool();
  const T i = T::Int();
  const T u = T::Uint();
  const T d = T::Double();
  std::vector<FunctionDecl> fns;
  fns.push_back(MinMax("math.@max", "math_@max"));
  fns.push_back(MinMax("math.@min", "math_@min"));
  for (const char* fn : {"abs", "sign"}) {
    const std::string name = fn;
    fns.push_back(Fn("math." + name)
                      .Global("math_" + name + "_int", {i}, i)
                      .Global("math_" + name + "_uint", {u}, u)
                      .Global("math_" + name + "_double", {d}, d)
                      .Build());
  }
  for (const char* fn : {"ceil", "floor", "round", "trunc"}) {
    const std::string name = fn;
    fns.push_back(Fn("math." + name).Global("math_" + name + "_double", {d}, d).Build());
  }
  for (const char* fn : {"isInf", "isNaN", "isFinite"}) {
    const std::string name = fn;
    fns.push_back(
        Fn("math." + name).Global("math_" + name + "_double", {d}, boolean).Build());
  }
  for (const char* fn : {"bitAnd", "bitOr", "bitXor"}) {
    const std::string name = fn;
    fns.push_back(Fn("math." + name)
                      .Global("math_" + name + "_int_int", {i, i}, i)
                      .Global("math_" + name + "_uint_uint", {u, u}, u)
                      .Build());
  }
  fns.push_back(Fn("math.bitNot")
                    .Global("math_bitNot_int_int", {i}, i)
                    .Global("math_bitNot_uint_uint", {u}, u)
                    .Build());
  for (const char* fn : {"bitShiftLeft", "bitShiftRight"}) {
    const std::string name = fn;
    fns.push_back(Fn("math." + name)
                      .Global("math_" + name + "_int_int", {i, i}, i)
                      .Global("math_" + name + "_uint_int", {u, i}, u)
                      .Build());
  }
  return fns;
}

}  // namespace

const std::vector<FunctionDecl>& StandardFunctionDecls() {
  static const std::vector<FunctionDecl>* const kDecls =
      new std::vector<FunctionDecl>(BuildStandard());
  return *kDecls;
}

const std::vector<FunctionDecl>& StringsExtensionDecls() {
  static const std::vector<FunctionDecl>* const kDecls =
      new std::vector<FunctionDecl>(BuildStrings());
  return *kDecls;
}

const std::vector<FunctionDecl>& MathExtensionDecls() {
  static const std::vector<FunctionDecl>* const kDecls =
      new std::vector<FunctionDecl>(BuildMath());
  return *kDecls;
}

const std::vector<FunctionDecl>& EncodersExtensionDecls() {
  static const std::vector<FunctionDecl>* const kDecls = new std::vector<FunctionDecl>{
      Fn("base64.encode").Global("base64_encode_bytes", {T::Bytes()}, T::String()).Build(),
      Fn("base64.decode").Global("base64_decode_string", {T::String()}, T::Bytes()).Build(),
  };
  return *kDecls;
}

bool StandardTypeIdent(absl::string_view name, CelType* type_of) {
  CelType t;
  if (name == "int") {
    t = CelType::Int();
  } else if (name == "uint") {
    t = CelType::Uint();
  } else if (name == "double") {
    t = CelType::Double();
  } else if (name == "bool") {
    t = CelType::Bool();
  } else if (name == "string") {
    t = CelType::String();
  } else if (name == "bytes") {
    t = CelType::Bytes();
  } else if (name == "list") {
    t = CelType::List(CelType::Dyn());
  } else if (name == "map") {
    t = CelType::Map(CelType::Dyn(), CelType::Dyn());
  } else if (name == "null_type") {
    t = CelType::Null();
  } else if (name == "type") {
    t = CelType::TypeOfTypes();
  } else if (name == "google.protobuf.Timestamp") {
    t = CelType::Timestamp();
  } else if (name == "google.protobuf.Duration") {
    t = CelType::Duration();
  } else {
    return false;
  }
  *type_of = CelType::TypeOf(t);
  return true;
}

}  // namespace cel
}  // namespace pitboss
