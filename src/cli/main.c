/* main.c — the gongfu command (everything but this lives in the gongfu_cli library). */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return gf_cli_main(argc, argv);
}
