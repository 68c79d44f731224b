/** Several kernels at once: each checked or compared by the name it is shown by. */
import type { KernelIndex } from './kernel/index';

/** A kernel of a set, with its label ("6.12.117", or the user's own). */
export interface LabeledKernel {
	label: string;
	index: KernelIndex;
}
