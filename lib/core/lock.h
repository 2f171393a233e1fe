/*
 * lock.h - advisory locks on files (flock), for work that one process
 * at a time may do: refreshing an account's tokens, driving one publish
 * journal.
 *
 *	int fd;
 *	if ((rc = ag_lock(ag, path, 30, &fd)) != AG_OK)
 *		return rc;		// AG_TEMPFAIL: still held after 30 s
 *	...				// the critical part
 *	ag_unlock(fd);
 *
 * The lock file is created (0600, its folder 0700) when missing and
 * never removed: removing it would let two processes hold "the" lock on
 * two different files.  The kernel drops the lock when the holder exits
 * in any way, kill -9 included, so a crash never leaves it stuck.  A
 * wait of 0 tries once.  Locks are per open file, so one process that
 * takes the same lock twice waits for itself: do not.
 */
#ifndef AG_LOCK_H
#define AG_LOCK_H

struct agency;

int ag_lock(struct agency *ag, const char *path, double wait, int *fd);
void ag_unlock(int fd);

#endif
