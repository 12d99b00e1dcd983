/* Embedding pitboss from plain C99: check that the loaded library matches the
 * header this program was compiled with, then print its version. */
#include <stdio.h>
#include <stdlib.h>

#include "pitboss/pitboss.h"

int main(void) {
  uint8_t* info = NULL;
  size_t info_len = 0;
  char* error = NULL;

  if (pitboss_abi_version() != PITBOSS_ABI_VERSION) {
    fprintf(stderr, "libpitboss ABI %u, but this program needs %d\n",
            pitboss_abi_version(), PITBOSS_ABI_VERSION);
    return EXIT_FAILURE;
  }
  if (pitboss_version_info(&info, &info_len, &error) != PITBOSS_OK) {
    fprintf(stderr, "pitboss_version_info: %s\n", error ? error : "(no message)");
    pitboss_free(error);
    return EXIT_FAILURE;
  }
  printf("pitboss %u (header %d), ABI %u, VersionInfo of %zu bytes\n",
         pitboss_version_number(), PITBOSS_VERSION_NUMBER, pitboss_abi_version(),
         info_len);
  pitboss_free(info);
  return EXIT_SUCCESS;
}
