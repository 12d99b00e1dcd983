// Finding unknown fields anywhere inside a message, cheaply.
//
// Canonical bytes (audit_chain.h) refuse a message that carries unknown
// fields, so every evaluation checks its event for them. A reflection walk
// that asks every message-typed field of every message "is it set?" costs a
// HasField per field: an Event has some thirty kinds in one oneof, each a
// message field. An UnknownFieldsPlan does the descriptor work once per
// message type instead: per type, its singular message fields outside any
// oneof, its oneofs with message members (one case read finds the member
// that is set, instead of a HasField per member) and its repeated message
// fields, each with the plan of the field's type. The walk then only reads
// what is set. Same answer as the plain walk, for any message.
//
// Plans are built for a root type and every type reachable from it, once, and
// are immutable afterwards: thread-safe.
#ifndef PITBOSS_SRC_ENGINE_UNKNOWN_FIELDS_H_
#define PITBOSS_SRC_ENGINE_UNKNOWN_FIELDS_H_

#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace pitboss {
namespace engine {

class UnknownFieldsPlan {
 public:
  // The plan of `type`'s messages, shared by every caller (built on first use
  // for `type` and the types it reaches; never freed).
  static const UnknownFieldsPlan& For(const google::protobuf::Descriptor* type);

  // Whether `message` (of this plan's type) or any message inside it has
  // unknown fields.
  bool HasUnknownFields(const google::protobuf::Message& message) const;

 private:
  struct Field {
    const google::protobuf::FieldDescriptor* field;
    const UnknownFieldsPlan* plan;  // of the field's message type
  };
  struct Oneof {
    const google::protobuf::OneofDescriptor* oneof;
    // Indexed by the member's index in the oneof; null plan for a member
    // that is not a message.
    std::vector<Field> members;
  };
  friend class UnknownFieldsPlanBuilder;

  std::vector<Field> singular_;
  std::vector<Oneof> oneofs_;
  std::vector<Field> repeated_;
};

// UnknownFieldsPlan::For(message's type).HasUnknownFields(message).
bool HasUnknownFields(const google::protobuf::Message& message);

// The path of the first message inside `message` (itself included) that has
// unknown fields, as "<prefix>.field[i].field", or "" when there is none
// (`prefix`, the message's own name, must not be empty). For error messages
// only (a plain walk).
std::string FindUnknownFieldsPath(const google::protobuf::Message& message,
                                  const std::string& prefix);

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_UNKNOWN_FIELDS_H_
