// Status propagation macros shared by every module.
//
// PITBOSS_RETURN_IF_ERROR(expr) returns the status of `expr` when it is not OK.
// PITBOSS_ASSIGN_OR_RETURN(lhs, expr) evaluates a StatusOr, returns its status on
// error and otherwise assigns (or declares, e.g. `auto x`) lhs from its value.
#ifndef PITBOSS_SRC_COMMON_STATUS_MACROS_H_
#define PITBOSS_SRC_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define PITBOSS_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::absl::Status pitboss_status_ = (expr);           \
    if (!pitboss_status_.ok()) return pitboss_status_; \
  } while (false)

#define PITBOSS_STATUS_CONCAT_INNER_(a, b) a##b
#define PITBOSS_STATUS_CONCAT_(a, b) PITBOSS_STATUS_CONCAT_INNER_(a, b)

#define PITBOSS_ASSIGN_OR_RETURN(lhs, expr) \
  PITBOSS_ASSIGN_OR_RETURN_IMPL_(           \
      PITBOSS_STATUS_CONCAT_(pitboss_statusor_, __LINE__), lhs, expr)

#define PITBOSS_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = std::move(statusor).value()

#endif  // PITBOSS_SRC_COMMON_STATUS_MACROS_H_
