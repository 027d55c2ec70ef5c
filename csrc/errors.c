/* Message text for an errno value, for error lines shown to the user. */
#include <string.h>

const char *shim_strerror(int e) { return strerror(e); }
