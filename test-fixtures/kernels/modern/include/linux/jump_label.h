/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_JUMP_LABEL_H
#define _LINUX_JUMP_LABEL_H

/* A branch that is patched at runtime; the fixture keeps a plain flag. */
struct static_key_false {
	int	enabled;
};

#define DEFINE_STATIC_KEY_FALSE(name)	struct static_key_false name = { 0 }
#define DECLARE_STATIC_KEY_FALSE(name)	extern struct static_key_false name

#define static_branch_unlikely(key)	((key)->enabled)

#endif /* _LINUX_JUMP_LABEL_H */
