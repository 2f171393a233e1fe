/*
 * tools.h - finding tools: executables called agency-NAME.
 *
 * A tool is looked for in the folder of the running executable, then
 * in the folders of plugins.path (AGENCY_PLUGIN_PATH), then in those of
 * PATH; the first regular executable file found wins.  The front runs
 * "agency NAME" this way and the queue runs a job of type NAME this
 * way, so both always run the same program, built-in or plugin.
 *
 * Strings returned are new (free() them); ag_tool_list()'s vector is
 * released with ag_tool_list_free().
 */
#ifndef AG_TOOLS_H
#define AG_TOOLS_H

#include <stddef.h>

struct agency;

/*
 * ag_tool_name_ok() - is name usable as a tool name: a letter or digit,
 * then letters, digits, '-', '_' or '.' (no '/', so a name can never
 * point outside the search folders, and never an option).
 */
int ag_tool_name_ok(const char *name);

/* The path of agency-NAME, or NULL when there is none. */
char *ag_tool_find(struct agency *ag, const char *name);

/* The NAMEs of every tool found, sorted, each once. */
void ag_tool_list(struct agency *ag, char ***names, size_t *n);
void ag_tool_list_free(char **names, size_t n);

#endif
