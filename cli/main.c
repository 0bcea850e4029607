/* main.c - the kith binary; everything else lives in kith.c so tests can link it. */
#include "kith.h"

int main(int argc, char **argv) { return kith_main(argc, argv); }
