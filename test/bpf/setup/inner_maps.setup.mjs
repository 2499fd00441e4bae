// Setup module for inner_maps.bpf.c: after load, create an inner map from
// slices' template, fill it, and insert it at slot 0 (bpf_map_create with the
// inner map's definition, then bpf_map_update_elem on the outer map's fd).

export function afterLoad(skel) {
  const inner = skel.maps.slices.createInner();
  for (const k of inner.keys()) inner.update(k, 1_000_000n * BigInt(k + 1));
  const err = skel.maps.slices.update(0, inner);
  if (err !== 0) throw new Error(`inserting the inner map failed: ${err}`);
  print('slot 0 slices', skel.maps.slices.lookup(0).lookup(1));
}
