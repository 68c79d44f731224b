/**
 * Kernel annotation macros (`__init`, `__iomem`, `__must_check`, `__releases(x)`, …) are
 * invisible to the compiler's grammar but break tree-sitter's: `static int __init f(void)`
 * parses as a function named `__init`. They are blanked to spaces before parsing, which
 * keeps every offset, line and column of the real text.
 */

const BARE = [
	'__init',
	'__exit',
	'__initdata',
	'__initconst',
	'__exitdata',
	'__ref',
	'__refdata',
	'__meminit',
	'__meminitdata',
	'__always_inline',
	'noinline',
	'noinline_for_stack',
	'__noinline',
	'__cold',
	'__hot',
	'__must_check',
	'__maybe_unused',
	'__always_unused',
	'__used',
	'__weak',
	'__rcu',
	'__iomem',
	'__user',
	'__percpu',
	'__force',
	'__kernel',
	'__bitwise',
	'__noreturn',
	'__noclone',
	'notrace',
	'noinstr',
	'asmlinkage',
	'__visible',
	'__sched',
	'__latent_entropy',
	'__ro_after_init',
	'__read_mostly',
	'__packed',
	'__pure',
	'__attribute_const__',
	'__safe',
	'__nocast',
	'__private',
	'__randomize_layout',
	'__no_randomize_layout',
	'__cacheline_aligned',
	'__cacheline_aligned_in_smp',
	'____cacheline_aligned',
	'____cacheline_aligned_in_smp',
	'__flatten',
	'__deprecated',
	'__malloc',
	'fallthrough',
];

const WITH_ARGS = [
	'__releases',
	'__acquires',
	'__must_hold',
	'__printf',
	'__scanf',
	'__aligned',
	'__section',
	'__alloc_size',
	'__counted_by',
	'__nonstring',
	'__free',
];

const RE = new RegExp(`\\b(?:(?:${BARE.join('|')})\\b|(?:${WITH_ARGS.join('|')})\\s*\\([^()\\n]*\\))`, 'g');

export function prepareSource(text: string): string {
	return text.replace(RE, (m) => m.replace(/[^\n]/g, ' '));
}
