// CEL equality and ordering (see value_equality.h).
#include "src/cel/common/value_equality.h"

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/message_differencer.h"
#include "src/cel/common/numeric.h"

namespace pitboss {
namespace cel {
namespace {

// Numeric comparison across int/uint/double; nullopt if either is not numeric.
std::optional<int> CompareNumbers(const Value& a, const Value& b) {
  switch (a.kind()) {
    case ValueKind::kInt:
      switch (b.kind()) {
        case ValueKind::kInt: return CompareSame(a.int_value(), b.int_value());
        case ValueKind::kUint: return CompareIntUint(a.int_value(), b.uint_value());
        case ValueKind::kDouble: return CompareIntDouble(a.int_value(), b.double_value());
        default: return std::nullopt;
      }
    case ValueKind::kUint:
      switch (b.kind()) {
        case ValueKind::kInt: return Negate(CompareIntUint(b.int_value(), a.uint_value()));
        case ValueKind::kUint: return CompareSame(a.uint_value(), b.uint_value());
        case ValueKind::kDouble: return CompareUintDouble(a.uint_value(), b.double_value());
        default: return std::nullopt;
      }
    case ValueKind::kDouble:
      switch (b.kind()) {
        case ValueKind::kInt: return Negate(CompareIntDouble(b.int_value(), a.double_value()));
        case ValueKind::kUint: return Negate(CompareUintDouble(b.uint_value(), a.double_value()));
        case ValueKind::kDouble: return CompareDouble(a.double_value(), b.double_value());
        default: return std::nullopt;
      }
    default:
      return std::nullopt;
  }
}

bool IsNumber(ValueKind k) {
  return k == ValueKind::kInt || k == ValueKind::kUint || k == ValueKind::kDouble;
}

}  // namespace

bool MessagesEqual(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  if (a.GetDescriptor()->full_name() != b.GetDescriptor()->full_name()) return false;
  if (a.GetDescriptor() != b.GetDescriptor()) {
    // Same name from different pools: compare wire forms.
    return a.SerializeAsString() == b.SerializeAsString();
  }
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

bool ValuesEqual(const Value& a, const Value& b, EvalContext& ctx) {
  if (IsNumber(a.kind())) {
    std::optional<int> c = CompareNumbers(a, b);
    return c.has_value() && *c == 0;
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::kNull: return true;
    case ValueKind::kBool: return a.bool_value() == b.bool_value();
    case ValueKind::kString: return a.string_value() == b.string_value();
    case ValueKind::kBytes: return a.bytes_value() == b.bytes_value();
    case ValueKind::kType: return a.type_value() == b.type_value();
    case ValueKind::kTimestamp:
    case ValueKind::kDuration:
      return a.seconds() == b.seconds() && a.nanos() == b.nanos();
    case ValueKind::kMessage:
      return MessagesEqual(*a.message_value(), *b.message_value());
    case ValueKind::kList: {
      const ListValue* x = a.list_value();
      const ListValue* y = b.list_value();
      if (x->size() != y->size()) return false;
      for (size_t i = 0; i < x->size(); ++i) {
        if (!ValuesEqual(x->Get(i, ctx), y->Get(i, ctx), ctx)) return false;
      }
      return true;
    }
    case ValueKind::kMap: {
      const MapValue* x = a.map_value();
      const MapValue* y = b.map_value();
      if (x->size() != y->size()) return false;
      for (size_t i = 0; i < x->size(); ++i) {
        Value other;
        if (!y->Find(x->KeyAt(i, ctx), ctx, &other)) return false;
        if (!ValuesEqual(x->ValueAt(i, ctx), other, ctx)) return false;
      }
      return true;
    }
    case ValueKind::kOptional:
      if (a.optional_has_value() != b.optional_has_value()) return false;
      return !a.optional_has_value() || ValuesEqual(a.optional_value(), b.optional_value(), ctx);
    default:
      return false;
  }
}

std::optional<int> CompareValues(const Value& a, const Value& b) {
  if (IsNumber(a.kind())) return CompareNumbers(a, b);
  if (a.kind() != b.kind()) return std::nullopt;
  switch (a.kind()) {
    case ValueKind::kBool: return CompareSame(a.bool_value(), b.bool_value());
    case ValueKind::kString: {
      int c = a.string_value().compare(b.string_value());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case ValueKind::kBytes: {
      int c = a.bytes_value().compare(b.bytes_value());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case ValueKind::kTimestamp:
    case ValueKind::kDuration: {
      int c = CompareSame(a.seconds(), b.seconds());
      return c != 0 ? c : CompareSame(a.nanos(), b.nanos());
    }
    default:
      return std::nullopt;
  }
}

}  // namespace cel
}  // namespace pitboss
