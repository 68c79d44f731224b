/** SARIF 2.1.0 output of `kmm check`, in the shape code-scanning services accept. */
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { docsUrl } from '../engine/checks/index';
import type { CheckMeta } from '../engine/checks/types';
import type { KernelFinding } from '../engine/kernel-set';
import type { Severity } from '../engine/types';
import type { SkippedFile } from './sources';
import { repository, version } from '../../../package.json';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(results: { file: string; finding: KernelFinding }[], skipped: readonly SkippedFile[], codes: readonly CheckMeta[], root: string): Log {
	const rules: ReportingDescriptor[] = codes.map((c) => ({
		id: c.code,
		shortDescription: { text: c.description },
		helpUri: docsUrl(c.code),
		defaultConfiguration: { level: LEVEL[c.severity] },
	}));
	const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
	const artifact = (file: string) => {
		const rel = relative(root, file);
		return rel.startsWith('..') ? { uri: pathToFileURL(file).href } : { uri: rel.split(sep).join('/'), uriBaseId: '%SRCROOT%' };
	};
	return {
		$schema: 'https://json.schemastore.org/sarif-2.1.0.json',
		version: '2.1.0',
		runs: [
			{
				tool: { driver: { name: 'kmm', version, informationUri: repository.url, rules } },
				originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(root + sep).href } },
				// Files not checked: a code-scanning service shows these as the run's warnings.
				invocations: [
					{
						executionSuccessful: true,
						toolExecutionNotifications: skipped.map((s) => ({
							level: 'warning' as const,
							message: { text: `skipped: ${s.reason}` },
							locations: [{ physicalLocation: { artifactLocation: artifact(s.file) } }],
						})),
					},
				],
				results: results.map(({ file, finding: f }) => ({
					ruleId: f.code,
					ruleIndex: ruleIndex.get(f.code),
					level: LEVEL[f.severity],
					message: { text: f.message },
					// The kernels (labels) whose build of the module this holds in.
					properties: { kernels: f.kernels },
					locations: [
						{
							physicalLocation: {
								artifactLocation: artifact(file),
								region: {
									startLine: f.range.start.line + 1,
									startColumn: f.range.start.character + 1,
									endLine: f.range.end.line + 1,
									endColumn: f.range.end.character + 1,
								},
							},
						},
					],
				})),
			},
		],
	};
}
