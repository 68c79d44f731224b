// SPDX-License-Identifier: GPL-2.0
/*
 * An ops table under 24 nested conditionals (issue #15): generated configuration
 * headers nest this deep; no real driver does, but nothing should miss it.
 */
struct deep_ops {
	int (*open)(int);
	void (*release)(int);
};

static int deep_open(int fd)
{
	return fd;
}

static void deep_release(int fd)
{
}

#ifdef CONFIG_DEEP_0
#if defined(CONFIG_DEEP_1)
#ifdef CONFIG_DEEP_2
#if defined(CONFIG_DEEP_3)
#ifdef CONFIG_DEEP_4
#if defined(CONFIG_DEEP_5)
#ifdef CONFIG_DEEP_6
#if defined(CONFIG_DEEP_7)
#ifdef CONFIG_DEEP_8
#if defined(CONFIG_DEEP_9)
#ifdef CONFIG_DEEP_10
#if defined(CONFIG_DEEP_11)
#ifdef CONFIG_DEEP_12
#if defined(CONFIG_DEEP_13)
#ifdef CONFIG_DEEP_14
#if defined(CONFIG_DEEP_15)
#ifdef CONFIG_DEEP_16
#if defined(CONFIG_DEEP_17)
#ifdef CONFIG_DEEP_18
#if defined(CONFIG_DEEP_19)
#ifdef CONFIG_DEEP_20
#if defined(CONFIG_DEEP_21)
#ifdef CONFIG_DEEP_22
#if defined(CONFIG_DEEP_23)
static const struct deep_ops deep_table = {
	.open = deep_open,
	.release = &deep_release,
};
#endif /* CONFIG_DEEP_23 */
#endif /* CONFIG_DEEP_22 */
#endif /* CONFIG_DEEP_21 */
#endif /* CONFIG_DEEP_20 */
#endif /* CONFIG_DEEP_19 */
#endif /* CONFIG_DEEP_18 */
#endif /* CONFIG_DEEP_17 */
#endif /* CONFIG_DEEP_16 */
#endif /* CONFIG_DEEP_15 */
#endif /* CONFIG_DEEP_14 */
#endif /* CONFIG_DEEP_13 */
#endif /* CONFIG_DEEP_12 */
#endif /* CONFIG_DEEP_11 */
#endif /* CONFIG_DEEP_10 */
#endif /* CONFIG_DEEP_9 */
#endif /* CONFIG_DEEP_8 */
#endif /* CONFIG_DEEP_7 */
#endif /* CONFIG_DEEP_6 */
#endif /* CONFIG_DEEP_5 */
#endif /* CONFIG_DEEP_4 */
#endif /* CONFIG_DEEP_3 */
#endif /* CONFIG_DEEP_2 */
#endif /* CONFIG_DEEP_1 */
#endif /* CONFIG_DEEP_0 */
