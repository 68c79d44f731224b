/**
 * String → id tables over typed arrays. A Map of a kernel's million interned names took
 * ~0.6 s to build on every warm start; hashing the same names into an Int32Array of slots
 * takes a fraction of that and allocates no entry per name.
 */

/** FNV-1a of text[start, end): the one hash of the header site tables and the name table. */
export function nameHash(text: string, start = 0, end = text.length): number {
	let h = 0x811c9dc5;
	for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
	return h >>> 0;
}

/** Power-of-two slot count that keeps `n` entries at most half full. */
export function slotsFor(n: number): number {
	let size = 1024;
	while (size < n * 2) size *= 2;
	return size;
}

/** Ids of distinct names: `names[id]`, found by open addressing. The table owns `names` from here on. */
export class NameTable {
	/** 1 + id, or 0 for an empty slot. */
	private slots: Int32Array;

	/** `slots`: a table's `slotArray` for exactly these names (from the cache), taken as it is. */
	constructor(
		readonly names: string[],
		slots?: Int32Array,
	) {
		if (slots && slots.length === slotsFor(names.length)) {
			this.slots = slots;
			return;
		}
		this.slots = new Int32Array(slotsFor(names.length));
		for (let id = 0; id < names.length; id++) this.place(id);
	}

	/** The slots, for a cache to hand back to the constructor with the same names. */
	get slotArray(): Int32Array {
		return this.slots;
	}

	get(name: string): number | undefined {
		const mask = this.slots.length - 1;
		for (let slot = nameHash(name) & mask; ; slot = (slot + 1) & mask) {
			const v = this.slots[slot];
			if (v === 0) return undefined;
			if (this.names[v - 1] === name) return v - 1;
		}
	}

	/** The id of `name`, added if new. */
	intern(name: string): number {
		const known = this.get(name);
		if (known !== undefined) return known;
		const id = this.names.push(name) - 1;
		if (this.names.length * 2 > this.slots.length) {
			this.slots = new Int32Array(this.slots.length * 2);
			for (let k = 0; k < this.names.length; k++) this.place(k);
		} else this.place(id);
		return id;
	}

	private place(id: number): void {
		const mask = this.slots.length - 1;
		let slot = nameHash(this.names[id]) & mask;
		while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
		this.slots[slot] = id + 1;
	}
}
