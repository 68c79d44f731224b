/**
 * removed-api: a use of an API the indexed kernel no longer has but an older one did
 * (the hmm_devmem family above all). modpost would call it undefined, or the compiler an
 * implicit declaration; this names the replacement instead.
 */
import { REMOVED_API_BY_NAME } from '../knowledge/removed-apis';
import { compareVersion, formatVersion } from '../version';
import type { Check, Finding } from './types';

export const removedApi: Check = {
	meta: {
		code: 'removed-api',
		severity: 'error',
		description: 'A call of an API this kernel no longer has.',
	},
	run({ facts, module, kernel }) {
		const version = kernel.version;
		if (!version) return [];
		const findings: Finding[] = [];
		for (const use of facts.uses) {
			const api = REMOVED_API_BY_NAME.get(use.name);
			if (!api || compareVersion(version, api.removedIn) < 0) continue;
			// A tree that still exports it (a vendor backport) has not removed it.
			if (kernel.exports.has(use.name) || module?.definitions.has(use.name)) continue;
			findings.push({
				code: 'removed-api',
				severity: 'error',
				subject: `${use.name}() was removed in Linux ${api.removedIn}`,
				symbol: use.name,
				message:
					`${use.name}() was removed in Linux ${api.removedIn} (this tree is ${formatVersion(version)}): ` +
					`${api.replacement}.`,
				range: use.range,
			});
		}
		return findings;
	},
};
