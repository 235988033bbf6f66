// GNU readline (GPL-3.0), for the `aso` command's interactive prompt only: the Aso library does
// not link it.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
