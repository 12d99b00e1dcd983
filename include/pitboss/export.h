/* PITBOSS_API marks the functions exported from libpitboss.
 *
 * The library builds with hidden visibility and a linker version script, so only
 * symbols marked here (all named pitboss_*) leave the shared object. Define
 * PITBOSS_STATIC when linking a static build so nothing is marked for export. */
#ifndef PITBOSS_EXPORT_H_
#define PITBOSS_EXPORT_H_

#if defined(PITBOSS_STATIC)
#define PITBOSS_API
#elif defined(_WIN32)
#if defined(PITBOSS_COMPILE_LIBRARY)
#define PITBOSS_API __declspec(dllexport)
#else
#define PITBOSS_API __declspec(dllimport)
#endif
#else
#define PITBOSS_API __attribute__((visibility("default")))
#endif

#endif /* PITBOSS_EXPORT_H_ */
