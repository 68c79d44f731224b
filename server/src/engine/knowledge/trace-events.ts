/**
 * What a file compiles when it defines CREATE_TRACE_POINTS and then includes a trace header:
 * define_trace.h includes the header again through trace_events.h, perf.h and bpf_probe.h,
 * which turn every event class into functions and a `struct trace_event_class` of the
 * module. Those bodies name the kernel's tracing API, so modpost judges the module by it
 * (a "Proprietary" nbd.ko is refused for trace_event_reg, bpf_trace_run2, …). Data read by
 * engine/trace-events.ts: the names each generated piece uses as the headers spell them
 * (inlines such as trace_trigger_soft_disabled are followed like any header inline), and
 * the option that compiles the piece.
 */
import { compareVersion, type KernelVersion } from '../version';

export interface TraceExpansionPiece {
	/** What define_trace.h generates per event class. */
	what: string;
	/** Called names, and names whose address is taken (`.reg = trace_event_reg`). */
	calls: readonly string[];
	references: readonly string[];
	/** The Kconfig option (without CONFIG_) that compiles the piece. */
	option: string;
	/** `bpf_trace_run` + the class's TP_ARGS count (CONCATENATE(bpf_trace_run, COUNT_ARGS(args))). */
	perArgCount?: string;
	source: string;
}

/**
 * Read from 6.1's headers; the layout (include/trace/stages/, trace_events.h's stage 6 and 7
 * bodies) is that of v5.18 and later, and older kernels are not followed (silence, not a guess).
 */
export const TRACE_EXPANSION_SINCE = '5.18';

export const TRACE_EXPANSION: readonly TraceExpansionPiece[] = [
	{
		what: 'trace_event_raw_event_<class>, which records an event',
		calls: ['trace_trigger_soft_disabled', 'trace_event_buffer_reserve', 'trace_event_buffer_commit'],
		references: [],
		// TRACEPOINTS_ENABLED in define_trace.h.
		option: 'TRACEPOINTS',
		source: 'include/trace/define_trace.h, include/trace/trace_events.h (DECLARE_EVENT_CLASS, stage 6)',
	},
	{
		what: 'trace_raw_output_<class>, which prints one',
		calls: ['trace_raw_output_prep', 'trace_event_printf', 'trace_handle_return'],
		references: [],
		option: 'TRACEPOINTS',
		source: 'include/trace/trace_events.h (DECLARE_EVENT_CLASS, stage 3)',
	},
	{
		what: 'the struct trace_event_class of each class',
		calls: [],
		references: ['trace_event_raw_init', 'trace_event_reg'],
		option: 'TRACEPOINTS',
		source: 'include/trace/trace_events.h (DECLARE_EVENT_CLASS, stage 7)',
	},
	{
		what: 'perf_trace_<class>',
		calls: ['perf_trace_buf_alloc', 'perf_fetch_caller_regs', 'perf_trace_run_bpf_submit'],
		references: [],
		option: 'PERF_EVENTS',
		source: 'include/trace/perf.h',
	},
	{
		what: '__bpf_trace_<class>',
		calls: [],
		references: [],
		perArgCount: 'bpf_trace_run',
		option: 'BPF_EVENTS',
		source: 'include/trace/bpf_probe.h',
	},
];

/** TP_printk helpers (stage 3 macros that exist only inside the expansion) and the function each calls. */
export const TP_PRINTK_HELPERS: ReadonlyMap<string, string> = new Map([
	['__print_flags', 'trace_print_flags_seq'],
	['__print_symbolic', 'trace_print_symbols_seq'],
	['__print_flags_u64', 'trace_print_flags_seq_u64'],
	['__print_symbolic_u64', 'trace_print_symbols_seq_u64'],
	['__print_hex', 'trace_print_hex_seq'],
	['__print_hex_str', 'trace_print_hex_seq'],
	['__print_array', 'trace_print_array_seq'],
	['__print_hex_dump', 'trace_print_hex_dump_seq'],
	['__get_bitmask', 'trace_print_bitmask_seq'],
	['__get_rel_bitmask', 'trace_print_bitmask_seq'],
]);

/** The macros that declare an event class, and where their TP_ARGS, TP_fast_assign and TP_printk sit. */
export const EVENT_CLASS_MACROS: ReadonlySet<string> = new Set([
	'TRACE_EVENT',
	'TRACE_EVENT_FN',
	'TRACE_EVENT_FN_COND',
	'TRACE_EVENT_CONDITION',
	'DECLARE_EVENT_CLASS',
]);

/** Whether this module of kernel `version` is expanded as TRACE_EXPANSION describes. */
export function traceExpansionKnown(version: KernelVersion | undefined): boolean {
	return version !== undefined && compareVersion(version, TRACE_EXPANSION_SINCE) >= 0;
}
