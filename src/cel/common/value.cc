// Value factories, type names, debug strings, arena lists and maps, DeepCopy.
#include "src/cel/common/value.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/common/map_key.h"
#include "src/cel/common/time_util.h"

namespace pitboss {
namespace cel {

struct ErrorData {
  absl::Status status;
};
struct UnknownData {
  const int64_t* ids;
  size_t size;
};
struct OptionalData {
  Value value;
};

namespace {

char* ArenaChars(google::protobuf::Arena* arena, size_t n) {
  return google::protobuf::Arena::CreateArray<char>(arena, n == 0 ? 1 : n);
}

template <typename T>
T* ArenaArray(google::protobuf::Arena* arena, size_t n) {
  static_assert(std::is_trivially_destructible<T>::value, "arena arrays hold trivial types");
  char* raw = google::protobuf::Arena::CreateArray<char>(arena, sizeof(T) * (n == 0 ? 1 : n));
  return reinterpret_cast<T*>(raw);
}

// A list stored as a contiguous arena array.
class ArrayList final : public ListValue {
 public:
  ArrayList(const Value* elements, size_t size) : elements_(elements), size_(size) {}
  size_t size() const override { return size_; }
  Value Get(size_t i, EvalContext&) const override { return elements_[i]; }

 private:
  const Value* elements_;
  size_t size_;
};

// Insertion-ordered map: entries in an arena array plus, above a few entries,
// an open-addressing index of entry positions (+1; 0 = empty slot).
class FlatMap final : public MapValue {
 public:
  FlatMap(const MapEntry* entries, size_t size, const uint32_t* index, size_t mask)
      : entries_(entries), size_(size), index_(index), mask_(mask) {}
  size_t size() const override { return size_; }
  bool Find(const Value& key, EvalContext&, Value* out) const override {
    const MapEntry* e = FindEntry(key);
    if (e == nullptr) return false;
    *out = e->value;
    return true;
  }
  Value KeyAt(size_t i, EvalContext&) const override { return entries_[i].key; }
  Value ValueAt(size_t i, EvalContext&) const override { return entries_[i].value; }

  const MapEntry* FindEntry(const Value& key) const {
    if (!IsLookupKeyKind(key.kind())) return nullptr;
    if (index_ == nullptr) {
      for (size_t i = 0; i < size_; ++i) {
        if (MapKeyEquals(entries_[i].key, key)) return &entries_[i];
      }
      return nullptr;
    }
    size_t slot = MapKeyHash(key) & mask_;
    while (index_[slot] != 0) {
      const MapEntry& e = entries_[index_[slot] - 1];
      if (MapKeyEquals(e.key, key)) return &e;
      slot = (slot + 1) & mask_;
    }
    return nullptr;
  }

 private:
  const MapEntry* entries_;
  size_t size_;
  const uint32_t* index_;
  size_t mask_;
};

constexpr size_t kLinearMapMax = 8;

// Strings keep their UTF-8 text; bytes escape everything non-ASCII.
void AppendQuoted(std::string* out, absl::string_view s, bool bytes) {
  out->push_back('"');
  out->append(bytes ? absl::CEscape(s) : absl::Utf8SafeCEscape(s));
  out->push_back('"');
}

}  // namespace

absl::string_view ValueKindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull: return TypeNames::kNull;
    case ValueKind::kBool: return TypeNames::kBool;
    case ValueKind::kInt: return TypeNames::kInt;
    case ValueKind::kUint: return TypeNames::kUint;
    case ValueKind::kDouble: return TypeNames::kDouble;
    case ValueKind::kString: return TypeNames::kString;
    case ValueKind::kBytes: return TypeNames::kBytes;
    case ValueKind::kList: return TypeNames::kList;
    case ValueKind::kMap: return TypeNames::kMap;
    case ValueKind::kType: return TypeNames::kType;
    case ValueKind::kTimestamp: return TypeNames::kTimestamp;
    case ValueKind::kDuration: return TypeNames::kDuration;
    case ValueKind::kMessage: return "message";
    case ValueKind::kError: return TypeNames::kError;
    case ValueKind::kUnknown: return TypeNames::kUnknown;
    case ValueKind::kOptional: return TypeNames::kOptional;
    case ValueKind::kAny: return "dyn";
  }
  return "unknown";
}

Value Value::String(google::protobuf::Arena* arena, absl::string_view s) {
  if (s.size() > std::numeric_limits<uint32_t>::max()) {
    return Error(arena, absl::ResourceExhaustedError("string too large"));
  }
  char* data = ArenaChars(arena, s.size());
  if (!s.empty()) std::memcpy(data, s.data(), s.size());
  return StringView(absl::string_view(data, s.size()));
}

Value Value::Bytes(google::protobuf::Arena* arena, absl::string_view s) {
  Value v = String(arena, s);
  if (v.IsString()) v.kind_ = ValueKind::kBytes;
  return v;
}

Value Value::Error(google::protobuf::Arena* arena, absl::Status status) {
  Value v(ValueKind::kError);
  v.err_ = google::protobuf::Arena::Create<ErrorData>(arena, ErrorData{std::move(status)});
  return v;
}

Value Value::Error(google::protobuf::Arena* arena, absl::string_view message) {
  return Error(arena, absl::InvalidArgumentError(message));
}

Value Value::Unknown(google::protobuf::Arena* arena, absl::Span<const int64_t> ids) {
  std::vector<int64_t> sorted(ids.begin(), ids.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  int64_t* data = ArenaArray<int64_t>(arena, sorted.size());
  std::copy(sorted.begin(), sorted.end(), data);
  Value v(ValueKind::kUnknown);
  v.unk_ = google::protobuf::Arena::Create<UnknownData>(arena, UnknownData{data, sorted.size()});
  return v;
}

Value Value::Optional(google::protobuf::Arena* arena, const Value& value) {
  Value v(ValueKind::kOptional);
  v.opt_ = google::protobuf::Arena::Create<OptionalData>(arena, OptionalData{value});
  return v;
}

Value Value::OptionalNone() {
  Value v(ValueKind::kOptional);
  v.opt_ = nullptr;
  return v;
}

const absl::Status& Value::error_value() const { return err_->status; }

absl::Span<const int64_t> Value::unknown_ids() const {
  return absl::Span<const int64_t>(unk_->ids, unk_->size);
}

const Value& Value::optional_value() const { return opt_->value; }

absl::string_view Value::TypeName() const {
  if (kind_ == ValueKind::kMessage) return msg_->GetDescriptor()->full_name();
  return ValueKindName(kind_);
}

std::string Value::DebugString() const {
  switch (kind_) {
    case ValueKind::kNull: return "null";
    case ValueKind::kBool: return b_ ? "true" : "false";
    case ValueKind::kInt: return absl::StrCat(i_);
    case ValueKind::kUint: return absl::StrCat(u_, "u");
    case ValueKind::kDouble: return FormatDouble(d_);
    case ValueKind::kString: {
      std::string out;
      AppendQuoted(&out, string_value(), false);
      return out;
    }
    case ValueKind::kBytes: {
      std::string out = "b";
      AppendQuoted(&out, bytes_value(), true);
      return out;
    }
    case ValueKind::kType: return absl::StrCat("type(", type_value(), ")");
    case ValueKind::kTimestamp:
      return absl::StrCat("timestamp(\"", FormatTimestamp(i_, nanos()), "\")");
    case ValueKind::kDuration:
      return absl::StrCat("duration(\"", FormatDuration(i_, nanos()), "\")");
    case ValueKind::kMessage:
      return absl::StrCat(msg_->GetDescriptor()->full_name(), "{", msg_->ShortDebugString(), "}");
    case ValueKind::kError: return absl::StrCat("error(\"", err_->status.message(), "\")");
    case ValueKind::kUnknown: {
      std::string out = "unknown{";
      for (size_t i = 0; i < unk_->size; ++i) {
        absl::StrAppend(&out, i == 0 ? "" : ", ", unk_->ids[i]);
      }
      return out + "}";
    }
    case ValueKind::kOptional:
      return opt_ == nullptr ? "optional.none()"
                             : absl::StrCat("optional.of(", opt_->value.DebugString(), ")");
    case ValueKind::kList: {
      google::protobuf::Arena arena;
      EvalContext ctx(&arena);
      std::string out = "[";
      for (size_t i = 0; i < list_->size(); ++i) {
        absl::StrAppend(&out, i == 0 ? "" : ", ", list_->Get(i, ctx).DebugString());
      }
      return out + "]";
    }
    case ValueKind::kMap: {
      google::protobuf::Arena arena;
      EvalContext ctx(&arena);
      std::string out = "{";
      for (size_t i = 0; i < map_->size(); ++i) {
        absl::StrAppend(&out, i == 0 ? "" : ", ", map_->KeyAt(i, ctx).DebugString(), ": ",
                        map_->ValueAt(i, ctx).DebugString());
      }
      return out + "}";
    }
    case ValueKind::kAny: break;
  }
  return "<invalid>";
}

Value MakeList(google::protobuf::Arena* arena, absl::Span<const Value> elements) {
  Value* data = ArenaArray<Value>(arena, elements.size());
  for (size_t i = 0; i < elements.size(); ++i) new (&data[i]) Value(elements[i]);
  return Value::List(google::protobuf::Arena::Create<ArrayList>(arena, data, elements.size()));
}

Value MakeMap(google::protobuf::Arena* arena, absl::Span<const MapEntry> entries) {
  for (const MapEntry& e : entries) {
    if (e.key.IsErrorOrUnknown()) return e.key;
    if (e.value.IsErrorOrUnknown()) return e.value;
    if (!IsMapKeyKind(e.key.kind())) {
      return Value::Error(arena, "unsupported key type");
    }
  }
  const size_t n = entries.size();
  MapEntry* data = ArenaArray<MapEntry>(arena, n);
  for (size_t i = 0; i < n; ++i) new (&data[i]) MapEntry(entries[i]);
  uint32_t* index = nullptr;
  size_t mask = 0;
  if (n > kLinearMapMax) {
    size_t capacity = 16;
    while (capacity < n * 2) capacity <<= 1;
    mask = capacity - 1;
    index = ArenaArray<uint32_t>(arena, capacity);
    std::fill(index, index + capacity, 0u);
    for (size_t i = 0; i < n; ++i) {
      size_t slot = MapKeyHash(data[i].key) & mask;
      while (index[slot] != 0) {
        if (MapKeyEquals(data[index[slot] - 1].key, data[i].key)) {
          return Value::Error(arena, "Failed with repeated key");
        }
        slot = (slot + 1) & mask;
      }
      index[slot] = static_cast<uint32_t>(i + 1);
    }
  } else {
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (MapKeyEquals(data[j].key, data[i].key)) {
          return Value::Error(arena, "Failed with repeated key");
        }
      }
    }
  }
  return Value::Map(google::protobuf::Arena::Create<FlatMap>(arena, data, n, index, mask));
}

Value DeepCopy(const Value& v, EvalContext& ctx, google::protobuf::Arena* arena) {
  switch (v.kind()) {
    case ValueKind::kString: return Value::String(arena, v.string_value());
    case ValueKind::kBytes: return Value::Bytes(arena, v.bytes_value());
    case ValueKind::kError: return Value::Error(arena, v.error_value());
    case ValueKind::kUnknown: return Value::Unknown(arena, v.unknown_ids());
    case ValueKind::kOptional:
      if (!v.optional_has_value()) return v;
      return Value::Optional(arena, DeepCopy(v.optional_value(), ctx, arena));
    case ValueKind::kMessage: {
      google::protobuf::Message* copy = v.message_value()->New(arena);
      copy->CopyFrom(*v.message_value());
      return Value::Message(copy);
    }
    case ValueKind::kList: {
      const ListValue* list = v.list_value();
      std::vector<Value> elements;
      elements.reserve(list->size());
      for (size_t i = 0; i < list->size(); ++i) {
        elements.push_back(DeepCopy(list->Get(i, ctx), ctx, arena));
      }
      return MakeList(arena, elements);
    }
    case ValueKind::kMap: {
      const MapValue* map = v.map_value();
      std::vector<MapEntry> entries;
      entries.reserve(map->size());
      for (size_t i = 0; i < map->size(); ++i) {
        entries.push_back(MapEntry{DeepCopy(map->KeyAt(i, ctx), ctx, arena),
                                   DeepCopy(map->ValueAt(i, ctx), ctx, arena)});
      }
      return MakeMap(arena, entries);
    }
    default:
      return v;
  }
}

}  // namespace cel
}  // namespace pitboss
