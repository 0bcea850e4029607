/* main.c - kithd's entry point; everything else links into the tests too. */
#include "config.h"

#include "kithd.h"

int
main(int argc, char **argv)
{
	return kithd_main(argc, argv);
}
