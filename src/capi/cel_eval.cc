// CEL evaluation for the C ABI (see cel_eval.h).
#include "src/capi/cel_eval.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/message.h"
#include "pitboss/cel.h"
#include "src/cel/common/eval_context.h"
#include "src/cli/cel_value_json.h"
#include "src/cli/proto_types.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace capi_internal {
namespace {

// The compiled-in types, built once (ProtoTypes is immutable and thread-safe).
const cli::ProtoTypes& GeneratedTypes() {
  static const cli::ProtoTypes* const types = cli::ProtoTypes::Generated().release();
  return *types;
}

absl::Status BindingError(int index, const v1::CelBinding& binding, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("bindings[", index, "] (", binding.name(), "): ", what));
}

// Declares and binds one binding. Values are allocated in ctx.arena().
absl::Status AddBinding(int index, const v1::CelBinding& binding, const cli::ProtoTypes& types,
                        cel::EvalContext& ctx, cel::Env& env, cel::Activation& activation) {
  if (binding.name().empty()) return BindingError(index, binding, "empty name");
  switch (binding.value_case()) {
    case v1::CelBinding::kJson:
    case v1::CelBinding::kValueJson: {
      const bool plain = binding.value_case() == v1::CelBinding::kJson;
      absl::StatusOr<google::protobuf::Value> json =
          cli::ParseJson(plain ? binding.json() : binding.value_json());
      if (!json.ok()) return BindingError(index, binding, json.status().message());
      absl::StatusOr<cel::Value> value = plain ? cli::CelValueFromPlainJson(*json, ctx)
                                               : cli::CelValueFromJson(*json, types, ctx);
      if (!value.ok()) return BindingError(index, binding, value.status().message());
      if (absl::Status declared = env.AddVariable(binding.name(), cel::CelType::Dyn());
          !declared.ok()) {
        return BindingError(index, binding, declared.message());
      }
      activation.Bind(binding.name(), *value);
      return absl::OkStatus();
    }
    case v1::CelBinding::kMessage: {
      absl::string_view type_name = binding.message().type_url();
      const size_t slash = type_name.rfind('/');
      if (slash != absl::string_view::npos) type_name.remove_prefix(slash + 1);
      const google::protobuf::Message* prototype = types.FindPrototype(type_name);
      if (prototype == nullptr) {
        return BindingError(index, binding,
                            absl::StrCat("unknown message type \"", type_name, "\""));
      }
      google::protobuf::Message* message = prototype->New(ctx.arena());
      if (!message->ParseFromString(binding.message().value())) {
        return BindingError(index, binding, absl::StrCat("malformed ", type_name, " bytes"));
      }
      if (absl::Status declared = env.AddMessageVariable(binding.name(), type_name);
          !declared.ok()) {
        return BindingError(index, binding, declared.message());
      }
      activation.BindMessage(binding.name(), message);
      return absl::OkStatus();
    }
    case v1::CelBinding::VALUE_NOT_SET:
      break;
  }
  return BindingError(index, binding, "no value (set json, value_json or message)");
}

}  // namespace

absl::StatusOr<v1::CelEvalResponse> EvaluateCel(const v1::CelEvalRequest& request) {
  const cli::ProtoTypes& types = GeneratedTypes();
  cel::Env env(types.pool(), types.factory());
  env.options().enable_checking = !request.disable_check();
  env.options().enable_macros = !request.disable_macros();
  env.options().enable_optional_syntax = true;
  env.SetContainer(request.container());

  google::protobuf::Arena arena;
  cel::EvalContext ctx(&arena, types.pool(), types.factory());
  cel::Activation activation;
  for (int i = 0; i < request.bindings_size(); ++i) {
    PITBOSS_RETURN_IF_ERROR(AddBinding(i, request.bindings(i), types, ctx, env, activation));
  }

  absl::StatusOr<std::unique_ptr<cel::Program>> program =
      cel::CreateProgram(env, request.expression());
  if (!program.ok()) {
    return absl::Status(program.status().code(),
                        absl::StrCat("expression: ", program.status().message()));
  }
  PITBOSS_ASSIGN_OR_RETURN(cel::Value result, (*program)->Evaluate(activation, &arena));

  v1::CelEvalResponse response;
  if (!request.disable_check()) response.set_type((*program)->result_type().DebugString());
  if (result.IsError()) {
    response.set_error(std::string(result.error_value().message()));
    return response;
  }
  if (result.IsUnknown()) {
    response.set_error("the result is unknown");
    return response;
  }
  response.set_text(result.DebugString());
  std::string json;
  if (absl::Status written = cli::AppendCelValueJson(result, types, ctx, &json); !written.ok()) {
    response.set_error(absl::StrCat("result: ", written.message()));
    return response;
  }
  response.set_value_json(std::move(json));
  return response;
}

}  // namespace capi_internal
}  // namespace pitboss
