// ExprRunner: SimpleTest JSON -> compile + evaluate -> result JSON.
#include "src/cli/expr_runner.h"

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/json_util.h"
#include "pitboss/cel.h"
#include "src/cel/common/eval_context.h"
#include "src/cli/cel_type_json.h"
#include "src/cli/cel_value_json.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace cli {
namespace {

using google::protobuf::Value;  // JSON tree

const Value* Field(const Value& object, absl::string_view name) {
  if (object.kind_case() != Value::kStructValue) return nullptr;
  auto it = object.struct_value().fields().find(std::string(name));
  return it == object.struct_value().fields().end() ? nullptr : &it->second;
}

absl::StatusOr<bool> BoolField(const Value& object, absl::string_view name) {
  const Value* v = Field(object, name);
  if (v == nullptr) return false;
  if (v->kind_case() != Value::kBoolValue) {
    return absl::InvalidArgumentError(absl::StrCat("\"", name, "\" must be true or false"));
  }
  return v->bool_value();
}

absl::StatusOr<std::string> StringField(const Value& object, absl::string_view name) {
  const Value* v = Field(object, name);
  if (v == nullptr) return std::string();
  if (v->kind_case() != Value::kStringValue) {
    return absl::InvalidArgumentError(absl::StrCat("\"", name, "\" must be a string"));
  }
  return v->string_value();
}

// One cel.expr.Decl.FunctionDecl.Overload.
absl::StatusOr<cel::OverloadDecl> OverloadFromJson(const Value& json, const cel::Env& env) {
  cel::OverloadDecl overload;
  PITBOSS_ASSIGN_OR_RETURN(overload.id, StringField(json, "overloadId"));
  PITBOSS_ASSIGN_OR_RETURN(overload.member, BoolField(json, "isInstanceFunction"));
  if (const Value* params = Field(json, "params")) {
    if (params->kind_case() != Value::kListValue) {
      return absl::InvalidArgumentError("overload params must be a list");
    }
    for (const Value& p : params->list_value().values()) {
      PITBOSS_ASSIGN_OR_RETURN(cel::CelType t, CelTypeFromJson(p, env));
      overload.params.push_back(std::move(t));
    }
  }
  if (const Value* result = Field(json, "resultType")) {
    PITBOSS_ASSIGN_OR_RETURN(overload.result, CelTypeFromJson(*result, env));
  }
  return overload;
}

// typeEnv: a list of cel.expr.Decl.
absl::Status DeclareTypeEnv(const Value& type_env, cel::Env& env) {
  if (type_env.kind_case() != Value::kListValue) {
    return absl::InvalidArgumentError("\"typeEnv\" must be a list of cel.expr.Decl");
  }
  for (const Value& decl : type_env.list_value().values()) {
    PITBOSS_ASSIGN_OR_RETURN(std::string name, StringField(decl, "name"));
    if (const Value* ident = Field(decl, "ident")) {
      const Value* type = Field(*ident, "type");
      if (type == nullptr) return absl::InvalidArgumentError(absl::StrCat("decl ", name, ": no type"));
      PITBOSS_ASSIGN_OR_RETURN(cel::CelType t, CelTypeFromJson(*type, env));
      PITBOSS_RETURN_IF_ERROR(env.AddVariable(name, std::move(t)));
    } else if (const Value* function = Field(decl, "function")) {
      cel::FunctionDecl fn;
      fn.name = name;
      if (const Value* overloads = Field(*function, "overloads")) {
        if (overloads->kind_case() != Value::kListValue) {
          return absl::InvalidArgumentError(absl::StrCat("decl ", name, ": overloads must be a list"));
        }
        for (const Value& o : overloads->list_value().values()) {
          PITBOSS_ASSIGN_OR_RETURN(cel::OverloadDecl overload, OverloadFromJson(o, env));
          fn.overloads.push_back(std::move(overload));
        }
      }
      PITBOSS_RETURN_IF_ERROR(env.AddFunction(std::move(fn)));
    } else {
      return absl::InvalidArgumentError(absl::StrCat("decl ", name, ": neither ident nor function"));
    }
  }
  return absl::OkStatus();
}

std::string ErrorLine(absl::string_view stage, absl::string_view message) {
  std::string out = "{\"error\":";
  AppendJsonString(message, &out);
  absl::StrAppend(&out, ",\"stage\":\"", stage, "\"}");
  return out;
}

// The JSON line for an evaluation result.
std::string ResultLine(const cel::Value& value, const cel::CelType* type, const ProtoTypes& types,
                       cel::EvalContext& ctx) {
  if (value.IsError()) return ErrorLine("eval", value.error_value().message());
  if (value.IsUnknown()) {
    std::string out = "{\"unknown\":[";
    bool first = true;
    for (int64_t id : value.unknown_ids()) {
      if (!first) out.push_back(',');
      first = false;
      absl::StrAppend(&out, "\"", id, "\"");
    }
    out.append("]}");
    return out;
  }
  std::string out = "{\"value\":";
  absl::Status written = AppendCelValueJson(value, types, ctx, &out);
  if (!written.ok()) return ErrorLine("eval", absl::StrCat("result: ", written.message()));
  if (type != nullptr) {
    out.append(",\"type\":");
    AppendCelTypeJson(*type, &out);
  }
  out.push_back('}');
  return out;
}

// `pitboss expr` (and so the conformance run) compiles with every opt-in
// library, like cel-go's conformance environment: optional values and the
// encoders extension on top of the defaults.
void EnableExprExtensions(cel::CompilerOptions& options) {
  options.enable_optional_types = true;
  options.enable_encoders_extension = true;
}

}  // namespace

absl::StatusOr<ExprBinding> ParseExprBinding(absl::string_view flag) {
  size_t eq = flag.find('=');
  if (eq == absl::string_view::npos || eq == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--bind wants NAME=JSON or NAME:MESSAGE_TYPE=JSON, got \"", flag, "\""));
  }
  ExprBinding binding;
  absl::string_view head = flag.substr(0, eq);
  binding.json = std::string(flag.substr(eq + 1));
  size_t colon = head.find(':');
  if (colon == absl::string_view::npos) {
    binding.name = std::string(head);
  } else {
    binding.name = std::string(head.substr(0, colon));
    binding.message_type = std::string(head.substr(colon + 1));
    if (binding.name.empty() || binding.message_type.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("--bind: empty name or type in \"", flag, "\""));
    }
  }
  return binding;
}

std::string ExprRunner::RunLine(absl::string_view line) const {
  absl::StatusOr<Value> parsed = ParseJson(line);
  if (!parsed.ok()) return ErrorLine("input", parsed.status().message());
  const Value& test = *parsed;
  if (test.kind_case() != Value::kStructValue) {
    return ErrorLine("input", "expected a JSON object (a cel.expr.conformance.test.SimpleTest)");
  }
  absl::StatusOr<std::string> expr = StringField(test, "expr");
  absl::StatusOr<std::string> container = StringField(test, "container");
  absl::StatusOr<bool> disable_check = BoolField(test, "disableCheck");
  absl::StatusOr<bool> disable_macros = BoolField(test, "disableMacros");
  absl::StatusOr<bool> check_only = BoolField(test, "checkOnly");
  for (const absl::Status& s : {expr.status(), container.status(), disable_check.status(),
                                disable_macros.status(), check_only.status()}) {
    if (!s.ok()) return ErrorLine("input", s.message());
  }
  if (Field(test, "expr") == nullptr) return ErrorLine("input", "missing \"expr\"");

  cel::Env env(types_->pool(), types_->factory());
  env.options().enable_checking = !*disable_check;
  env.options().enable_macros = !*disable_macros;
  EnableExprExtensions(env.options());
  env.SetContainer(*container);
  if (const Value* type_env = Field(test, "typeEnv")) {
    absl::Status declared = DeclareTypeEnv(*type_env, env);
    if (!declared.ok()) return ErrorLine("input", declared.message());
  }

  absl::StatusOr<std::unique_ptr<cel::Program>> program = cel::CreateProgram(env, *expr);
  if (!program.ok()) return ErrorLine("compile", program.status().message());
  const cel::CelType* type = *disable_check ? nullptr : &(*program)->result_type();
  if (*check_only) {
    std::string out = "{\"type\":";
    AppendCelTypeJson((*program)->result_type(), &out);
    out.push_back('}');
    return out;
  }

  google::protobuf::Arena arena;
  cel::EvalContext ctx(&arena, types_->pool(), types_->factory());
  cel::Activation activation;
  if (const Value* bindings = Field(test, "bindings")) {
    if (bindings->kind_case() != Value::kStructValue) {
      return ErrorLine("input", "\"bindings\" must be an object");
    }
    for (const auto& [name, expr_value] : bindings->struct_value().fields()) {
      absl::StatusOr<cel::Value> value = CelExprValueFromJson(expr_value, *types_, ctx);
      if (!value.ok()) {
        return ErrorLine("input", absl::StrCat("binding ", name, ": ", value.status().message()));
      }
      if (value->IsUnknown()) {
        activation.BindUnknown(name);
      } else {
        activation.Bind(name, *value);
      }
    }
  }
  absl::StatusOr<cel::Value> result = (*program)->Evaluate(activation, &arena);
  if (!result.ok()) return ErrorLine("eval", absl::StrCat("host error: ", result.status().ToString()));
  return ResultLine(*result, type, *types_, ctx);
}

ExprResult ExprRunner::RunExpr(const ExprRequest& request) const {
  ExprResult out;
  auto fail = [&out](absl::string_view stage, absl::string_view message) {
    out.ok = false;
    out.text = std::string(message);
    out.json = ErrorLine(stage, message);
    return out;
  };
  cel::Env env(types_->pool(), types_->factory());
  env.options().enable_checking = !request.disable_check;
  env.options().enable_macros = !request.disable_macros;
  EnableExprExtensions(env.options());
  env.SetContainer(request.container);

  google::protobuf::Arena arena;
  cel::EvalContext ctx(&arena, types_->pool(), types_->factory());
  cel::Activation activation;
  for (const ExprBinding& binding : request.bindings) {
    if (binding.message_type.empty()) {
      absl::StatusOr<Value> json = ParseJson(binding.json);
      if (!json.ok()) return fail("input", absl::StrCat("--bind ", binding.name, ": ", json.status().message()));
      absl::StatusOr<cel::Value> value = CelValueFromPlainJson(*json, ctx);
      if (!value.ok()) return fail("input", absl::StrCat("--bind ", binding.name, ": ", value.status().message()));
      absl::Status declared = env.AddVariable(binding.name, cel::CelType::Dyn());
      if (!declared.ok()) return fail("input", declared.message());
      activation.Bind(binding.name, *value);
      continue;
    }
    const google::protobuf::Message* prototype = types_->FindPrototype(binding.message_type);
    if (prototype == nullptr) {
      return fail("input", absl::StrCat("--bind ", binding.name, ": unknown message type ",
                                        binding.message_type));
    }
    google::protobuf::Message* message = prototype->New(&arena);
    google::protobuf::util::Status parsed =
        google::protobuf::util::JsonStringToMessage(binding.json, message);
    if (!parsed.ok()) {
      return fail("input", absl::StrCat("--bind ", binding.name, ": ", parsed.message().ToString()));
    }
    absl::Status declared = env.AddMessageVariable(binding.name, binding.message_type);
    if (!declared.ok()) return fail("input", declared.message());
    activation.BindMessage(binding.name, message);
  }

  absl::StatusOr<std::unique_ptr<cel::Program>> program = cel::CreateProgram(env, request.expr);
  if (!program.ok()) return fail("compile", program.status().message());
  absl::StatusOr<cel::Value> result = (*program)->Evaluate(activation, &arena);
  if (!result.ok()) return fail("eval", absl::StrCat("host error: ", result.status().ToString()));
  const cel::CelType* type = request.disable_check ? nullptr : &(*program)->result_type();
  out.json = ResultLine(*result, type, *types_, ctx);
  if (result->IsError()) {
    out.ok = false;
    out.text = std::string(result->error_value().message());
    return out;
  }
  out.ok = true;
  out.text = result->DebugString();
  if (type != nullptr) out.type = type->DebugString();
  return out;
}

}  // namespace cli
}  // namespace pitboss
