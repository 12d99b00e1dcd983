/* pitboss: the stable C ABI.
 *
 * This header is the only stable surface of libpitboss. It is C99-clean and is
 * compiled as C by tests/c_api/c_api_test.c.
 *
 * Conventions (see docs/CONVENTIONS.md):
 *  - Requests and responses are serialized pitboss.v1 protobuf messages passed as
 *    (const uint8_t* req, size_t req_len) in and (uint8_t** out, size_t* out_len) out.
 *  - Argument order: handle, inputs, outputs, then char** error_message.
 *  - Every function returns an int status numbered like absl::StatusCode
 *    (PITBOSS_OK == 0). On failure every output is set to NULL / 0 and, when
 *    error_message is not NULL, *error_message receives a message the caller
 *    releases with pitboss_free(). New codes may be added; keep a default: branch.
 *  - A rule verdict (deny, hold, KYC required) is data in a response, never a
 *    status code.
 *  - Everything the library returns is released with pitboss_free(); never free().
 *  - No exception or abort crosses this boundary. */
#ifndef PITBOSS_PITBOSS_H_
#define PITBOSS_PITBOSS_H_

#include <stddef.h>
#include <stdint.h>

#include "pitboss/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version of this header. Compare with pitboss_version_number() at run time:
 *   assert(pitboss_version_number() == PITBOSS_VERSION_NUMBER); */
#define PITBOSS_VERSION_MAJOR 0
#define PITBOSS_VERSION_MINOR 1
#define PITBOSS_VERSION_PATCH 0
#define PITBOSS_VERSION_NUMBER                                    \
  (PITBOSS_VERSION_MAJOR * 100 * 100 + PITBOSS_VERSION_MINOR * 100 + \
   PITBOSS_VERSION_PATCH)

/* The ABI major version: the shared library is libpitboss.so.<PITBOSS_ABI_VERSION>.
 * A library whose pitboss_abi_version() differs from this is not compatible. */
#define PITBOSS_ABI_VERSION 1

/* Status codes, numbered like absl::StatusCode and pitboss.v1.StatusCode.
 * New codes may be added; keep a default: branch when switching on them. */
typedef enum pitboss_status {
  PITBOSS_OK = 0,
  PITBOSS_CANCELLED = 1,
  PITBOSS_UNKNOWN = 2,
  PITBOSS_INVALID_ARGUMENT = 3,
  PITBOSS_DEADLINE_EXCEEDED = 4,
  PITBOSS_NOT_FOUND = 5,
  PITBOSS_ALREADY_EXISTS = 6,
  PITBOSS_PERMISSION_DENIED = 7,
  PITBOSS_RESOURCE_EXHAUSTED = 8,
  PITBOSS_FAILED_PRECONDITION = 9,
  PITBOSS_ABORTED = 10,
  PITBOSS_OUT_OF_RANGE = 11,
  PITBOSS_UNIMPLEMENTED = 12,
  PITBOSS_INTERNAL = 13,
  PITBOSS_UNAVAILABLE = 14,
  PITBOSS_DATA_LOSS = 15,
  PITBOSS_UNAUTHENTICATED = 16
} pitboss_status;

/* PITBOSS_VERSION_NUMBER of the loaded library. Thread-safe. */
PITBOSS_API unsigned pitboss_version_number(void);

/* ABI major version of the loaded library. Thread-safe. */
PITBOSS_API unsigned pitboss_abi_version(void);

/* Serialized pitboss.v1.VersionInfo of the loaded library into *out / *out_len.
 * Thread-safe. Release *out with pitboss_free(). */
PITBOSS_API int pitboss_version_info(uint8_t** out, size_t* out_len,
                                     char** error_message);

/* Releases memory returned by any pitboss function. NULL has no effect. */
PITBOSS_API void pitboss_free(void* ptr);

/* Every request (policy, EvaluateRequest, CelEvalRequest, StoreOptions,
 * StoreApplyRequest) larger than this many bytes is refused with
 * PITBOSS_RESOURCE_EXHAUSTED before it is parsed. */
#define PITBOSS_MAX_REQUEST_BYTES (64u * 1024u * 1024u)

/* ------------------------------------------------------------------------- */
/* Engine                                                                    */

/* A compiled policy that decides account events (pitboss.v1.Policy in,
 * EvaluateRequest -> EvaluateResponse).
 *
 * Thread-safe: an engine is immutable once created; any number of threads may
 * call pitboss_engine_evaluate on the same engine concurrently. It must not be
 * freed while a call on it is running. A new policy is a new engine. */
typedef struct pitboss_engine_t pitboss_engine_t;

/* Validates a serialized pitboss.v1.Policy and compiles its rules into a new
 * engine stored in *out (release it with pitboss_engine_free). An invalid
 * policy is PITBOSS_INVALID_ARGUMENT and the message names what is wrong;
 * pitboss_policy_check lists every problem as data, with positions. On failure
 * *out is NULL. */
PITBOSS_API int pitboss_engine_new(const uint8_t* policy, size_t policy_len,
                                   pitboss_engine_t** out, char** error_message);

/* Destroys an engine. NULL has no effect. */
PITBOSS_API void pitboss_engine_free(pitboss_engine_t* engine);

/* Decides one event: a serialized pitboss.v1.EvaluateRequest (account, event,
 * now, audit chain head) in, a serialized pitboss.v1.EvaluateResponse
 * (decision, account after it, audit record) out, deterministic byte for byte.
 * A refusal (deny, hold, verify first) is data in the decision, status
 * PITBOSS_OK. Malformed or inconsistent requests are PITBOSS_INVALID_ARGUMENT
 * (or another non-OK status) and nothing is returned. Thread-safe. */
PITBOSS_API int pitboss_engine_evaluate(const pitboss_engine_t* engine,
                                        const uint8_t* req, size_t req_len,
                                        uint8_t** out, size_t* out_len,
                                        char** error_message);

/* ------------------------------------------------------------------------- */
/* Policy check                                                              */

/* Checks a serialized pitboss.v1.Policy without building an engine: every
 * structural problem and every rule's CEL compile error, as a serialized
 * pitboss.v1.PolicyCheckResponse (no diagnostics: the policy is valid).
 * Problems in the policy are data (status PITBOSS_OK); bytes that are not a
 * Policy are PITBOSS_INVALID_ARGUMENT. Thread-safe. */
PITBOSS_API int pitboss_policy_check(const uint8_t* policy, size_t policy_len,
                                     uint8_t** out, size_t* out_len,
                                     char** error_message);

/* ------------------------------------------------------------------------- */
/* CEL                                                                       */

/* Compiles and evaluates one CEL expression: a serialized
 * pitboss.v1.CelEvalRequest (expression, bindings, options) in, a serialized
 * pitboss.v1.CelEvalResponse out. A parse or type error is
 * PITBOSS_INVALID_ARGUMENT (the message has line, column and a caret); a CEL
 * runtime error (division by zero, ...) is data in the response. For tools
 * and interactive use: each call compiles the expression again. Thread-safe. */
PITBOSS_API int pitboss_cel_eval(const uint8_t* req, size_t req_len,
                                 uint8_t** out, size_t* out_len,
                                 char** error_message);

/* ------------------------------------------------------------------------- */
/* Store                                                                     */

/* The embedded store: accounts, idempotency keys (event_id) and the audit
 * chain in one SQLite database (WAL mode). One applied event is one
 * transaction: the account, the idempotency row and the audit record commit
 * together or not at all.
 *
 * Thread-safe: any number of threads may call pitboss_store_apply,
 * pitboss_store_get_account and pitboss_store_verify_audit on the same store
 * concurrently (events of one account are serialized, different accounts run
 * in parallel). It must not be freed while a call on it is running. */
typedef struct pitboss_store_t pitboss_store_t;

/* Opens the store at `path` (a NUL-terminated file name of at most 4095
 * bytes; created when missing unless read_only) or, for ":memory:", a private
 * store that lives only as long as the handle. `options` is a serialized
 * pitboss.v1.StoreOptions (synchronous FULL or NORMAL, idempotency retention,
 * read_only, busy timeout); NULL / 0 means the defaults (durable, FULL, 24 h,
 * read-write). The new store is stored in *out (release it with
 * pitboss_store_free, which closes it). Errors name the path: a file that is
 * not a pitboss store or is corrupt is PITBOSS_DATA_LOSS, one written by
 * another schema version PITBOSS_FAILED_PRECONDITION, a missing directory (or
 * a missing file with read_only) PITBOSS_NOT_FOUND, a path that cannot be
 * written PITBOSS_PERMISSION_DENIED, bad options PITBOSS_INVALID_ARGUMENT. On
 * failure *out is NULL. */
PITBOSS_API int pitboss_store_open(const char* path, const uint8_t* options,
                                   size_t options_len, pitboss_store_t** out,
                                   char** error_message);

/* Closes a store and releases it. NULL has no effect. */
PITBOSS_API void pitboss_store_free(pitboss_store_t* store);

/* Decides one event with `engine` and commits it: a serialized
 * pitboss.v1.StoreApplyRequest (event, now; `now` is required, the library
 * never reads a clock) in, a serialized pitboss.v1.StoreApplyResponse
 * (the EvaluateResponse and `replayed`) out. The account is loaded from the
 * store (a new one for account_opened) and the audit record joins the store's
 * chain. A refusal (deny, hold, verify first) is data, status PITBOSS_OK, and
 * is recorded like any decision.
 * Idempotency: an event_id applied before with the same payload returns the
 * recorded response with replayed = true and changes nothing; the same
 * event_id with a different payload is PITBOSS_ALREADY_EXISTS naming the
 * event_id. Bad input (malformed bytes, an unknown account, an impossible
 * transition) is a non-OK status and nothing is stored; a read_only store is
 * PITBOSS_FAILED_PRECONDITION; a lock held too long by another process is
 * PITBOSS_UNAVAILABLE. Thread-safe (both handles). */
PITBOSS_API int pitboss_store_apply(pitboss_store_t* store,
                                    const pitboss_engine_t* engine,
                                    const uint8_t* req, size_t req_len,
                                    uint8_t** out, size_t* out_len,
                                    char** error_message);

/* The stored account `account_id` (NUL-terminated, 1..255 bytes) as a
 * serialized pitboss.v1.Account; PITBOSS_NOT_FOUND naming the id when the
 * store has none. Thread-safe. */
PITBOSS_API int pitboss_store_get_account(const pitboss_store_t* store,
                                          const char* account_id,
                                          uint8_t** out, size_t* out_len,
                                          char** error_message);

/* Walks the whole audit chain (every record's hash link and payload hash).
 * Intact: PITBOSS_OK and a serialized pitboss.v1.StoreVerifyAuditResponse
 * with the chain head verified (sequence 0 for an empty store). Edited,
 * reordered or missing records: PITBOSS_DATA_LOSS, the message naming the
 * first bad sequence, and no output. Thread-safe. */
PITBOSS_API int pitboss_store_verify_audit(const pitboss_store_t* store,
                                           uint8_t** out, size_t* out_len,
                                           char** error_message);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PITBOSS_PITBOSS_H_ */
