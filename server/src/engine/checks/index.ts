/** Every check, in the order their findings are reported. */
import { gplOnlySymbol } from './gpl-only-symbol';
import type { Check } from './types';

export const ALL_CHECKS: readonly Check[] = [gplOnlySymbol];
