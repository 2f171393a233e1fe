/*
 * banned.h - functions we do not call (git's banned.h).
 *
 * Each has a safer form used instead: snprintf or struct buf for
 * sprintf/strcpy/strcat, strtok_r or a loop for strtok, gmtime_r and
 * localtime_r for the non-reentrant time functions, ag_parse_ll for
 * atoi and friends (which cannot report errors).  Included last by
 * agency.h, after the system headers that declare them.
 */
#ifndef AG_BANNED_H
#define AG_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef atoi
#define atoi(s) BANNED(atoi)
#undef atol
#define atol(s) BANNED(atol)
#undef atof
#define atof(s) BANNED(atof)

#endif
