/**
 * Oracle 4b, trust on real code: in-tree modules of Debian's linux-source-6.1 (6.1.192), each
 * copied out of the tree with its MODULE_LICENSE changed to "Proprietary", are built with
 * `make -C /usr/src/linux-headers-6.1.0-56-amd64 M=DIR modules`, so the real modpost checks
 * every GPL-only symbol they use. Asserted per module:
 *   - modpost's GPL-only, undefined, license and namespace errors equal EXPECTED below (keeps
 *     the oracle honest: a changed toolchain or headers package shows up here first), and
 *   - `kmm check --format json` on the same directories reports exactly EXPECTED (modpost's
 *     "undefined!" is kmm's unexported-symbol or removed-api), but for KNOWN_GAPS.
 * modpost prints every error of a run before it fails (6.1 exits at the end, not at the first
 * error), so plain `make` lists them all; no -k or KBUILD_MODPOST_WARN is needed.
 *
 * Gated like modpost.test.ts: without the headers or the tree it skips loudly, with
 * KMM_REAL_KERNEL=required it fails. KMM_KEEP_RELICENSED_BUILD=1 keeps the temp dir.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { KMM } from '../helpers/paths';
import { requireRealKernel } from '../helpers/real-kernel';
import {
	buildModule,
	kindOfCode,
	namespaceOf,
	parseModpost,
	pool,
	requireHeaders,
	runKmm,
	symbolOf,
	type BuildResult,
	type Kind,
	type KmmDiagnostic,
	type ModuleFinding,
} from '../helpers/modpost';
import { builtMembers, prepareModule, type FindingTable, type ModuleSpec } from '../helpers/relicensed';

/**
 * The modules, across subsystems. Each builds out of tree from its own files; a `.c` is a
 * single-file module. ens1370.c is taken without its in-tree sibling ak4531_codec.c on
 * purpose: its snd_ak4531_* calls are modpost's "undefined!" (kmm: unexported-symbol).
 * dm-zero and the nls modules use no GPL-only symbol: they must stay clean.
 */
const SPECS: ModuleSpec[] = [
	// block
	{ name: 'brd', src: 'drivers/block/brd.c' },
	{ name: 'null_blk', src: 'drivers/block/null_blk', modules: ['null_blk'] },
	{ name: 'zram', src: 'drivers/block/zram', modules: ['zram'] },
	{ name: 'loop', src: 'drivers/block/loop.c' },
	{ name: 'nbd', src: 'drivers/block/nbd.c' },
	{ name: 'virtio_blk', src: 'drivers/block/virtio_blk.c' },
	{ name: 'dm-zero', src: 'drivers/md/dm-zero.c' },
	{ name: 'dm-delay', src: 'drivers/md/dm-delay.c' },
	{ name: 'dm-flakey', src: 'drivers/md/dm-flakey.c' },
	{ name: 'scsi_debug', src: 'drivers/scsi/scsi_debug.c' },
	// net
	{ name: 'dummy', src: 'drivers/net/dummy.c' },
	{ name: 'ifb', src: 'drivers/net/ifb.c' },
	{ name: 'veth', src: 'drivers/net/veth.c' },
	{ name: 'macvlan', src: 'drivers/net/macvlan.c' },
	{ name: 'nlmon', src: 'drivers/net/nlmon.c' },
	{ name: 'geneve', src: 'drivers/net/geneve.c' },
	{ name: 'netconsole', src: 'drivers/net/netconsole.c' },
	{ name: 'tun', src: 'drivers/net/tun.c' },
	{ name: 'sch_sfq', src: 'net/sched/sch_sfq.c' },
	{ name: 'sch_tbf', src: 'net/sched/sch_tbf.c' },
	{ name: 'tcp_bic', src: 'net/ipv4/tcp_bic.c' },
	{ name: 'tcp_westwood', src: 'net/ipv4/tcp_westwood.c' },
	{ name: 'tcp_htcp', src: 'net/ipv4/tcp_htcp.c' },
	// gpu
	{ name: 'cirrus', src: 'drivers/gpu/drm/tiny/cirrus.c' },
	{ name: 'bochs', src: 'drivers/gpu/drm/tiny/bochs.c' },
	{ name: 'vgem', src: 'drivers/gpu/drm/vgem', modules: ['vgem'] },
	{ name: 'udl', src: 'drivers/gpu/drm/udl', modules: ['udl'] },
	// sound
	{ name: 'snd-intel8x0', src: 'sound/pci/intel8x0.c' },
	{ name: 'snd-via82xx', src: 'sound/pci/via82xx.c' },
	{ name: 'snd-fm801', src: 'sound/pci/fm801.c' },
	{ name: 'snd-ens1370', src: 'sound/pci/ens1370.c' },
	{ name: 'snd-als4000', src: 'sound/pci/als4000.c' },
	{ name: 'sound-drivers', src: 'sound/drivers', modules: ['snd-dummy', 'snd-aloop', 'snd-virmidi'] },
	// fs
	{ name: 'minix', src: 'fs/minix', modules: ['minix'] },
	{ name: 'romfs', src: 'fs/romfs', modules: ['romfs'] },
	{ name: 'qnx4', src: 'fs/qnx4', modules: ['qnx4'] },
	{ name: 'qnx6', src: 'fs/qnx6', modules: ['qnx6'] },
	{ name: 'efs', src: 'fs/efs', modules: ['efs'] },
	{ name: 'isofs', src: 'fs/isofs', modules: ['isofs'] },
	{ name: 'fat', src: 'fs/fat', modules: ['fat', 'vfat', 'msdos'] },
	{ name: 'bfs', src: 'fs/bfs', modules: ['bfs'] },
	{ name: 'hfs', src: 'fs/hfs', modules: ['hfs'] },
	{ name: 'omfs', src: 'fs/omfs', modules: ['omfs'] },
	{ name: 'vboxsf', src: 'fs/vboxsf', modules: ['vboxsf'] },
	{ name: 'exfat', src: 'fs/exfat', modules: ['exfat'] },
	{ name: 'sysv', src: 'fs/sysv', modules: ['sysv'] },
	{ name: 'affs', src: 'fs/affs', modules: ['affs'] },
	{ name: 'cuse', src: 'fs/fuse/cuse.c' },
	{ name: 'nls', src: 'fs/nls', modules: ['nls_cp437', 'nls_iso8859-1', 'nls_utf8'] },
	// mm-adjacent
	{ name: 'test_hmm', src: 'lib/test_hmm.c' },
	{ name: 'z3fold', src: 'mm/z3fold.c' },
	{ name: 'hwpoison-inject', src: 'mm/hwpoison-inject.c' },
	{ name: 'device_dax', src: 'drivers/dax/device.c' },
	{ name: 'virtio_balloon', src: 'drivers/virtio/virtio_balloon.c' },
	// crypto
	{ name: 'wp512', src: 'crypto/wp512.c' },
	{ name: 'fcrypt', src: 'crypto/fcrypt.c' },
	{ name: 'michael_mic', src: 'crypto/michael_mic.c' },
	{ name: 'md4', src: 'crypto/md4.c' },
	// char, misc
	{ name: 'ppdev', src: 'drivers/char/ppdev.c' },
	{ name: 'lp', src: 'drivers/char/lp.c' },
	{ name: 'at24', src: 'drivers/misc/eeprom/at24.c' },
	{ name: 'i2c-stub', src: 'drivers/i2c/i2c-stub.c' },
	{ name: 'softdog', src: 'drivers/watchdog/softdog.c' },
	{ name: 'hid-cherry', src: 'drivers/hid/hid-cherry.c' },
];

/**
 * What the real modpost of 6.1.0-56-amd64 says about each module (`copy/module`), per kind,
 * sorted; `{}`: built and clean. Namespace entries would read `symbol NAMESPACE`.
 */
const EXPECTED: FindingTable = {
	'brd/brd': {
		'gpl-only-symbol': [
			'__rcu_read_lock', '__rcu_read_unlock', 'debugfs_create_dir', 'debugfs_create_u64', 'debugfs_remove',
			'page_endio',
		],
	},
	'null_blk/null_blk': {
		'gpl-only-symbol': [
			'__trace_trigger_soft_disabled', 'badblocks_check', 'badblocks_clear', 'badblocks_exit', 'badblocks_init',
			'badblocks_set', 'badblocks_show', 'bdev_nr_zones', 'blk_mq_end_request_batch', 'blk_mq_map_queues',
			'blk_mq_update_nr_hw_queues', 'blk_op_str', 'blk_queue_max_zone_append_sectors',
			'blk_queue_required_elevator_features', 'blk_queue_write_cache', 'blk_revalidate_disk_zones',
			'blk_zone_cond_str', 'bpf_trace_run2', 'bpf_trace_run3', 'disk_set_zoned', 'errno_to_blk_status',
			'hrtimer_active', 'hrtimer_cancel', 'hrtimer_forward', 'hrtimer_init', 'hrtimer_start_range_ns',
			'perf_trace_buf_alloc', 'perf_trace_run_bpf_submit', 'trace_event_buffer_commit',
			'trace_event_buffer_reserve', 'trace_event_raw_init', 'trace_event_reg', 'trace_handle_return',
			'trace_seq_printf', 'trace_seq_putc',
		],
	},
	'zram/zram': {
		'gpl-only-symbol': [
			'__alloc_percpu', '__class_register', '__cpuhp_state_add_instance', '__cpuhp_state_remove_instance',
			'bio_end_io_acct_remapped', 'bio_start_io_acct', 'blk_status_to_errno', 'class_unregister',
			'crypto_alloc_base', 'crypto_comp_compress', 'crypto_comp_decompress', 'crypto_destroy_tfm',
			'crypto_has_alg', 'debugfs_create_dir', 'debugfs_create_file', 'debugfs_remove', 'free_percpu', 'idr_alloc',
			'idr_find', 'idr_remove', 'ktime_get_with_offset', 'page_endio', 'set_capacity_and_notify', 'zs_compact',
			'zs_create_pool', 'zs_destroy_pool', 'zs_free', 'zs_get_total_pages', 'zs_huge_class_size', 'zs_malloc',
			'zs_map_object', 'zs_pool_stats', 'zs_unmap_object',
		],
	},
	'loop/loop': {
		'gpl-only-symbol': [
			'__percpu_down_read', '__rcu_read_lock', '__rcu_read_unlock', 'alloc_workqueue', 'bd_prepare_to_claim',
			'bdev_disk_changed', 'bio_blkcg_css', 'blk_mq_freeze_queue', 'blk_mq_unfreeze_queue',
			'blk_queue_write_cache', 'blk_update_request', 'blkcg_root_css', 'cgroup_get_e_css', 'destroy_workqueue',
			'disk_force_media_change', 'errno_to_blk_status', 'idr_alloc', 'idr_find', 'idr_remove', 'int_active_memcg',
			'kobject_uevent', 'rcuwait_wake_up', 'set_capacity_and_notify', 'sysfs_create_group', 'sysfs_emit',
			'sysfs_remove_group',
		],
	},
	'nbd/nbd': {
		'gpl-only-symbol': [
			'__rcu_read_lock', '__rcu_read_unlock', '__trace_trigger_soft_disabled', 'alloc_workqueue',
			'blk_mq_freeze_queue', 'blk_mq_quiesce_queue', 'blk_mq_unfreeze_queue', 'blk_mq_unquiesce_queue',
			'blk_mq_update_nr_hw_queues', 'blk_queue_rq_timeout', 'blk_queue_write_cache', 'bpf_trace_run2',
			'bpf_trace_run3', 'debugfs_create_dir', 'debugfs_create_file', 'debugfs_create_u32', 'debugfs_create_u64',
			'debugfs_remove', 'destroy_workqueue', 'device_create_file', 'device_remove_file', 'idr_alloc', 'idr_find',
			'idr_remove', 'kobject_uevent', 'perf_trace_buf_alloc', 'perf_trace_run_bpf_submit',
			'set_capacity_and_notify', 'sk_set_memalloc', 'trace_event_buffer_commit', 'trace_event_buffer_reserve',
			'trace_event_raw_init', 'trace_event_reg', 'trace_handle_return',
		],
	},
	'virtio_blk/virtio_blk': {
		'gpl-only-symbol': [
			'alloc_workqueue', 'blk_mq_end_request_batch', 'blk_mq_free_request', 'blk_mq_freeze_queue',
			'blk_mq_map_queues', 'blk_mq_quiesce_queue_nowait', 'blk_mq_unfreeze_queue', 'blk_mq_unquiesce_queue',
			'blk_mq_virtio_map_queues', 'blk_queue_max_discard_segments', 'blk_queue_write_cache',
			'blk_status_to_errno', 'destroy_workqueue', 'flush_work', 'register_virtio_driver',
			'set_capacity_and_notify', 'sg_alloc_table_chained', 'sg_free_table_chained', 'sysfs_emit',
			'unregister_virtio_driver', 'virtio_check_driver_offered_feature', 'virtio_max_dma_size',
			'virtio_reset_device', 'virtqueue_add_sgs', 'virtqueue_disable_cb', 'virtqueue_enable_cb',
			'virtqueue_get_buf', 'virtqueue_is_broken', 'virtqueue_kick', 'virtqueue_kick_prepare', 'virtqueue_notify',
		],
	},
	'dummy/dummy': {
		'gpl-only-symbol': [
			'__alloc_percpu_gfp', '__rtnl_link_register', '__rtnl_link_unregister', 'free_percpu', 'pernet_ops_rwsem',
			'rtnl_link_unregister', 'skb_clone_tx_timestamp', 'skb_tstamp_tx',
		],
	},
	'ifb/ifb': {
		'gpl-only-symbol': [
			'__rcu_read_lock', '__rcu_read_unlock', '__rtnl_link_register', '__rtnl_link_unregister',
			'pernet_ops_rwsem', 'rtnl_link_unregister', 'skb_pull_rcsum',
		],
	},
	'veth/veth': {
		'gpl-only-symbol': [
			'__SCK__tp_func_xdp_bulk_tx', '__SCK__tp_func_xdp_exception', '__SCT__tp_func_xdp_bulk_tx',
			'__SCT__tp_func_xdp_exception', '__dev_forward_skb', '__put_net', '__rcu_read_lock', '__rcu_read_unlock',
			'__tracepoint_xdp_bulk_tx', '__tracepoint_xdp_exception', '__xdp_build_skb_from_frame',
			'__xdp_rxq_info_reg', 'bpf_master_redirect_enabled_key', 'bpf_prog_put', 'bpf_redirect_info',
			'bpf_warn_invalid_xdp_action', 'dev_fetch_sw_netstats', 'rtnl_link_register', 'rtnl_link_unregister',
			'sched_clock', 'skb_clone_tx_timestamp', 'skb_tstamp_tx', 'xdp_alloc_skb_bulk',
			'xdp_convert_zc_to_xdp_frame', 'xdp_do_flush', 'xdp_do_redirect', 'xdp_master_redirect', 'xdp_return_buff',
			'xdp_return_frame', 'xdp_rxq_info_is_reg', 'xdp_rxq_info_reg_mem_model', 'xdp_rxq_info_unreg', 'xdp_warn',
		],
	},
	'macvlan/macvlan': {
		'gpl-only-symbol': [
			'__alloc_percpu_gfp', '__dev_forward_skb', '__netpoll_free', '__netpoll_setup', '__rcu_read_lock',
			'__rcu_read_unlock', 'cancel_work_sync', 'dev_forward_skb', 'free_percpu', 'kvfree_call_rcu',
			'netdev_is_rx_handler_busy', 'netdev_rx_handler_register', 'netdev_rx_handler_unregister',
			'rtnl_link_register', 'rtnl_link_unregister', 'synchronize_rcu', 'system_unbound_wq',
		],
	},
	'nlmon/nlmon': {
		'gpl-only-symbol': [
			'__alloc_percpu_gfp', 'free_percpu', 'netlink_add_tap', 'netlink_remove_tap', 'rtnl_link_register',
			'rtnl_link_unregister',
		],
	},
	'geneve/geneve': {
		'gpl-only-symbol': [
			'__alloc_percpu_gfp', '__iptunnel_pull_header', '__rcu_read_lock', '__rcu_read_unlock', 'dev_get_tstats64',
			'dst_cache_destroy', 'dst_cache_get_ip4', 'dst_cache_get_ip6', 'dst_cache_init', 'dst_cache_set_ip4',
			'dst_cache_set_ip6', 'free_percpu', 'ip_route_output_flow', 'iptunnel_handle_offloads', 'ipv6_stub',
			'kvfree_call_rcu', 'metadata_dst_alloc', 'metadata_dst_free', 'register_pernet_subsys',
			'rtnl_dev_link_net_capable', 'rtnl_link_register', 'rtnl_link_unregister', 'setup_udp_tunnel_sock',
			'skb_scrub_packet', 'udp_sock_create6', 'udp_tun_rx_dst', 'udp_tunnel6_xmit_skb', 'udp_tunnel_drop_rx_port',
			'udp_tunnel_notify_add_rx_port', 'udp_tunnel_notify_del_rx_port', 'udp_tunnel_push_rx_port',
			'udp_tunnel_sock_release', 'udp_tunnel_xmit_skb', 'unregister_pernet_subsys',
		],
	},
	'netconsole/netconsole': {
		'gpl-only-symbol': ['__netpoll_cleanup'],
	},
	'tun/tun': {
		'gpl-only-symbol': [
			'__SCK__tp_func_xdp_exception', '__SCT__tp_func_xdp_exception', '__alloc_percpu_gfp', '__rcu_read_lock',
			'__rcu_read_unlock', '__skb_get_hash_symmetric', '__tracepoint_xdp_exception', '__wake_up_sync_key',
			'__xdp_rxq_info_reg', 'bpf_master_redirect_enabled_key', 'bpf_prog_destroy', 'bpf_prog_get_type_dev',
			'bpf_prog_put', 'bpf_redirect_info', 'bpf_warn_invalid_xdp_action', 'byte_rev_table', 'call_rcu',
			'dev_get_tstats64', 'do_xdp_generic', 'free_percpu', 'get_net_ns', 'init_user_ns', 'kvfree_call_rcu',
			'migrate_disable', 'migrate_enable', 'open_related_ns', 'round_jiffies_up', 'rtnl_link_register',
			'rtnl_link_unregister', 'sched_clock', 'sk_attach_filter', 'sk_detach_filter', 'skb_clone_tx_timestamp',
			'skb_copy_ubufs', 'skb_partial_csum_set', 'skb_tstamp_tx', 'sysfs_emit', 'xdp_convert_zc_to_xdp_frame',
			'xdp_do_flush', 'xdp_do_redirect', 'xdp_master_redirect', 'xdp_return_frame', 'xdp_return_frame_rx_napi',
			'xdp_rxq_info_is_reg', 'xdp_rxq_info_reg_mem_model', 'xdp_rxq_info_unreg', 'xdp_warn',
		],
	},
	'sch_sfq/sch_sfq': {
		'gpl-only-symbol': ['__rcu_read_lock', '__rcu_read_unlock', 'ktime_get'],
	},
	'sch_tbf/sch_tbf': {
		'gpl-only-symbol': ['ktime_get', 'skb_gso_validate_mac_len'],
	},
	'tcp_bic/tcp_bic': {
		'gpl-only-symbol': [
			'tcp_cong_avoid_ai', 'tcp_register_congestion_control', 'tcp_reno_undo_cwnd', 'tcp_slow_start',
			'tcp_unregister_congestion_control',
		],
	},
	'tcp_westwood/tcp_westwood': {
		'gpl-only-symbol': [
			'tcp_register_congestion_control', 'tcp_reno_cong_avoid', 'tcp_reno_ssthresh', 'tcp_reno_undo_cwnd',
			'tcp_unregister_congestion_control',
		],
	},
	'tcp_htcp/tcp_htcp': {
		'gpl-only-symbol': [
			'tcp_register_congestion_control', 'tcp_reno_undo_cwnd', 'tcp_slow_start',
			'tcp_unregister_congestion_control',
		],
	},
	'cirrus/cirrus': {
		'gpl-only-symbol': [
			'drm_gem_fb_create_with_dirty', 'drm_gem_shmem_dumb_create', 'drm_gem_shmem_prime_import_sg_table',
		],
	},
	'bochs/bochs': {
		'gpl-only-symbol': ['drm_do_get_edid', 'drm_gem_fb_create'],
	},
	'vgem/vgem': {
		'gpl-only-symbol': [
			'devres_open_group', 'devres_release_group', 'dma_resv_test_signaled', 'drm_gem_shmem_dumb_create',
			'drm_gem_shmem_prime_import_sg_table', 'idr_alloc', 'platform_device_register_full',
			'platform_device_unregister',
		],
	},
	'udl/udl': {
		'gpl-only-symbol': [
			'drm_do_get_edid', 'drm_gem_fb_create_with_dirty', 'drm_gem_shmem_dumb_create',
			'drm_gem_shmem_prime_import_sg_table', 'put_device', 'usb_alloc_coherent', 'usb_alloc_urb',
			'usb_control_msg', 'usb_deregister', 'usb_free_coherent', 'usb_free_urb', 'usb_get_descriptor',
			'usb_intf_get_dma_device', 'usb_register_driver', 'usb_submit_urb',
		],
	},
	'snd-intel8x0/intel8x0': {
		'gpl-only-symbol': [
			'ktime_get', 'snd_card_free_on_error', 'snd_card_rw_proc_new', 'snd_devm_alloc_dir_pages',
			'snd_devm_card_new', 'snd_pcm_add_chmap_ctls', 'snd_pcm_alt_chmaps',
		],
	},
	'snd-via82xx/via82xx': {
		'gpl-only-symbol': [
			'snd_card_free_on_error', 'snd_card_rw_proc_new', 'snd_devm_card_new', 'snd_pcm_add_chmap_ctls',
			'snd_pcm_alt_chmaps', 'snd_pcm_std_chmaps',
		],
	},
	'snd-fm801/fm801': {
		'gpl-only-symbol': [
			'snd_card_free_on_error', 'snd_devm_card_new', 'snd_pcm_add_chmap_ctls', 'snd_pcm_alt_chmaps',
			'v4l2_device_register', 'v4l2_device_unregister',
		],
	},
	'snd-ens1370/ens1370': {
		'gpl-only-symbol': [
			'snd_card_free_on_error', 'snd_card_rw_proc_new', 'snd_devm_alloc_dir_pages', 'snd_devm_card_new',
			'snd_pcm_add_chmap_ctls', 'snd_pcm_std_chmaps',
		],
		'undefined': ['snd_ak4531_mixer', 'snd_ak4531_resume', 'snd_ak4531_suspend'],
	},
	'snd-als4000/als4000': {
		'gpl-only-symbol': ['snd_card_free_on_error', 'snd_devm_card_new'],
	},
	'sound-drivers/snd-aloop': {
		'gpl-only-symbol': [
			'__platform_driver_register', 'cancel_work_sync', 'devm_kfree', 'devm_kstrdup',
			'platform_device_register_full', 'platform_device_unregister', 'platform_driver_unregister', 'put_device',
			'snd_card_ref', 'snd_card_rw_proc_new', 'snd_devm_card_new', 'snd_pcm_stop_xrun',
		],
	},
	'sound-drivers/snd-dummy': {
		'gpl-only-symbol': [
			'__platform_driver_register', 'hrtimer_cancel', 'hrtimer_forward', 'hrtimer_init', 'hrtimer_start_range_ns',
			'platform_device_register_full', 'platform_device_unregister', 'platform_driver_unregister',
			'snd_devm_card_new',
		],
	},
	'sound-drivers/snd-virmidi': {
		'gpl-only-symbol': [
			'__platform_driver_register', 'platform_device_register_full', 'platform_device_unregister',
			'platform_driver_unregister', 'snd_devm_card_new',
		],
	},
	'minix/minix': {
		'gpl-only-symbol': ['init_user_ns', 'noop_direct_IO', 'rcu_barrier'],
	},
	'romfs/romfs': {
		'gpl-only-symbol': ['get_tree_mtd', 'kill_mtd_super', 'mtd_read', 'rcu_barrier'],
	},
	'qnx4/qnx4': {
		'gpl-only-symbol': ['rcu_barrier'],
	},
	'qnx6/qnx6': {
		'gpl-only-symbol': ['rcu_barrier'],
	},
	'efs/efs': {
		'gpl-only-symbol': ['generic_fh_to_dentry', 'generic_fh_to_parent', 'rcu_barrier'],
	},
	'isofs/isofs': {
		'gpl-only-symbol': ['cdrom_multisession', 'cdrom_read_tocentry', 'init_user_ns', 'rcu_barrier'],
	},
	'fat/fat': {
		'gpl-only-symbol': [
			'__fsnotify_parent', 'call_rcu', 'fsnotify', 'generic_fh_to_dentry', 'generic_fh_to_parent', 'init_user_ns',
			'mnt_want_write_file', 'rcu_barrier', 'security_inode_setattr', 'sync_blockdev_nowait',
		],
	},
	'fat/msdos': {
		'gpl-only-symbol': [
			'__fat_fs_error', 'fat_add_entries', 'fat_alloc_new_dir', 'fat_attach', 'fat_build_inode', 'fat_detach',
			'fat_dir_empty', 'fat_fill_super', 'fat_flush_inodes', 'fat_free_clusters', 'fat_get_dotdot_entry',
			'fat_getattr', 'fat_remove_entries', 'fat_scan', 'fat_setattr', 'fat_sync_inode', 'fat_time_unix2fat',
			'fat_truncate_time', 'fat_update_time',
		],
	},
	'fat/vfat': {
		'gpl-only-symbol': [
			'__fat_fs_error', 'fat_add_entries', 'fat_alloc_new_dir', 'fat_attach', 'fat_build_inode', 'fat_detach',
			'fat_dir_empty', 'fat_fill_super', 'fat_free_clusters', 'fat_get_dotdot_entry', 'fat_getattr',
			'fat_remove_entries', 'fat_scan', 'fat_search_long', 'fat_setattr', 'fat_sync_inode', 'fat_time_unix2fat',
			'fat_truncate_time', 'fat_update_time',
		],
	},
	'bfs/bfs': {
		'gpl-only-symbol': ['init_user_ns', 'rcu_barrier'],
	},
	'hfs/hfs': {
		'gpl-only-symbol': [
			'cdrom_multisession', 'cdrom_read_tocentry', 'dirty_writeback_interval', 'init_user_ns',
			'ktime_get_real_seconds', 'rcu_barrier', 'system_long_wq',
		],
	},
	'omfs/omfs': {
		'gpl-only-symbol': ['init_user_ns'],
	},
	'vboxsf/vboxsf': {
		'gpl-only-symbol': ['idr_remove', 'init_user_ns', 'invalidate_inode_pages2', 'rcu_barrier'],
	},
	'exfat/exfat': {
		'gpl-only-symbol': ['call_rcu', 'init_user_ns', 'rcu_barrier'],
	},
	'sysv/sysv': {
		'gpl-only-symbol': ['init_user_ns', 'ktime_get_real_seconds', 'rcu_barrier'],
	},
	'affs/affs': {
		'gpl-only-symbol': [
			'dirty_writeback_interval', 'generic_fh_to_dentry', 'generic_fh_to_parent', 'init_user_ns',
			'ktime_get_real_seconds', 'rcu_barrier', 'system_long_wq',
		],
	},
	'cuse/cuse': {
		'gpl-only-symbol': [
			'__class_create', 'class_destroy', 'dev_set_name', 'device_add', 'device_del', 'device_initialize',
			'device_unregister', 'fuse_abort_conn', 'fuse_conn_get', 'fuse_conn_init', 'fuse_conn_put',
			'fuse_dev_alloc_install', 'fuse_dev_fiq_ops', 'fuse_dev_free', 'fuse_dev_operations', 'fuse_dev_release',
			'fuse_direct_io', 'fuse_do_ioctl', 'fuse_do_open', 'fuse_file_poll', 'fuse_simple_background',
			'fuse_sync_release', 'kobject_uevent', 'put_device', 'rcu_barrier',
		],
	},
	'test_hmm/test_hmm': {
		'gpl-only-symbol': [
			'clear_page_erms', 'clear_page_orig', 'clear_page_rep', 'dev_set_name', 'device_initialize',
			'memremap_pages', 'memunmap_pages', 'mmput', 'mmu_interval_notifier_insert', 'mmu_interval_notifier_remove',
			'mmu_interval_read_begin', 'request_free_mem_region', 'zone_device_page_init',
		],
		'undefined': ['make_device_exclusive_range'],
	},
	'z3fold/z3fold': {
		'gpl-only-symbol': [
			'__alloc_percpu', 'alloc_workqueue', 'cancel_work_sync', 'destroy_workqueue', 'free_percpu',
			'migrate_disable', 'migrate_enable',
		],
	},
	'hwpoison-inject/hwpoison-inject': {
		'gpl-only-symbol': [
			'PageHuge', 'debugfs_attr_read', 'debugfs_attr_write', 'debugfs_create_dir', 'debugfs_create_file',
			'debugfs_create_u32', 'debugfs_create_u64', 'debugfs_remove', 'hwpoison_filter',
			'hwpoison_filter_dev_major', 'hwpoison_filter_dev_minor', 'hwpoison_filter_enable',
			'hwpoison_filter_flags_mask', 'hwpoison_filter_flags_value', 'hwpoison_filter_memcg', 'memory_failure',
			'shake_page', 'simple_attr_open', 'simple_attr_release',
		],
	},
	'device_dax/device': {
		'gpl-only-symbol': [
			'__dax_driver_register', 'dax_alive', 'dax_driver_unregister', 'dax_get_private', 'dax_inode',
			'dax_read_lock', 'dax_read_unlock', 'devm_add_action', 'devm_kmalloc', 'devm_memremap_pages', 'inode_dax',
			'kill_dev_dax', 'linear_hugepage_index', 'run_dax', 'static_dev_dax', 'vmf_insert_pfn_pmd_prot',
			'vmf_insert_pfn_pud_prot',
		],
	},
	'wp512/wp512': {
		'gpl-only-symbol': ['crypto_register_shashes', 'crypto_unregister_shashes'],
	},
	'fcrypt/fcrypt': {
		'gpl-only-symbol': ['crypto_register_alg', 'crypto_unregister_alg'],
	},
	'michael_mic/michael_mic': {
		'gpl-only-symbol': ['crypto_register_shash', 'crypto_unregister_shash'],
	},
	'md4/md4': {
		'gpl-only-symbol': ['crypto_register_shash', 'crypto_unregister_shash'],
	},
	'ppdev/ppdev': {
		'gpl-only-symbol': ['__class_create', 'class_destroy', 'device_create', 'device_destroy'],
	},
	'lp/lp': {
		'gpl-only-symbol': ['__class_create', 'class_destroy', 'device_create', 'device_destroy'],
	},
	'at24/at24': {
		'gpl-only-symbol': [
			'__devm_regmap_init_i2c', '__pm_runtime_disable', '__pm_runtime_idle', '__pm_runtime_resume',
			'__pm_runtime_set_status', 'acpi_dev_state_d0', 'acpi_device_get_match_data', 'dev_err_probe',
			'device_property_present', 'device_property_read_string', 'device_property_read_u32_array',
			'devm_i2c_new_dummy_device', 'devm_kmalloc', 'devm_nvmem_register', 'devm_regulator_get', 'i2c_match_id',
			'i2c_new_client_device', 'pm_runtime_enable', 'pm_runtime_force_resume', 'pm_runtime_force_suspend',
			'regmap_bulk_read', 'regmap_bulk_write', 'regmap_get_device', 'regulator_disable', 'regulator_enable',
		],
	},
	'i2c-stub/i2c-stub': {
		'gpl-only-symbol': ['devm_kmalloc'],
	},
	'softdog/softdog': {
		'gpl-only-symbol': [
			'emergency_restart', 'hrtimer_active', 'hrtimer_cancel', 'hrtimer_init', 'hrtimer_start_range_ns',
			'kernel_restart', 'watchdog_init_timeout', 'watchdog_register_device', 'watchdog_unregister_device',
		],
	},
	'hid-cherry/hid-cherry': {
		'gpl-only-symbol': ['__hid_register_driver', 'hid_unregister_driver'],
	},
	'dm-zero/dm-zero': {},
	'dm-delay/dm-delay': {
		'gpl-only-symbol': [
			'alloc_workqueue', 'bio_associate_blkg', 'destroy_workqueue', 'dm_bio_from_per_bio_data', 'dm_per_bio_data',
			'dm_submit_bio_remap',
		],
	},
	'dm-flakey/dm-flakey': {
		'gpl-only-symbol': ['bio_associate_blkg', 'dm_per_bio_data', 'dm_report_zones'],
	},
	'virtio_balloon/virtio_balloon': {
		'gpl-only-symbol': [
			'all_vm_events', 'alloc_workqueue', 'balloon_mops', 'balloon_page_alloc', 'balloon_page_dequeue',
			'balloon_page_enqueue', 'cancel_work_sync', 'destroy_workqueue', 'page_reporting_register',
			'page_reporting_unregister', 'register_oom_notifier', 'register_virtio_driver', 'si_mem_available',
			'system_freezable_wq', 'unregister_oom_notifier', 'unregister_virtio_driver',
			'virtio_check_driver_offered_feature', 'virtio_reset_device', 'virtqueue_add_inbuf', 'virtqueue_add_outbuf',
			'virtqueue_get_buf', 'virtqueue_get_vring_size', 'virtqueue_kick',
		],
	},
	'nls/nls_cp437': {},
	'nls/nls_iso8859-1': {},
	'nls/nls_utf8': {},
	'scsi_debug/scsi_debug': {
		'gpl-only-symbol': [
			'__root_device_register', 'blk_abort_request', 'blk_mq_map_queues', 'bus_register', 'bus_unregister',
			'cancel_work_sync', 'dev_set_name', 'device_register', 'device_unregister', 'driver_register',
			'driver_unregister', 'hrtimer_cancel', 'hrtimer_init', 'hrtimer_start_range_ns', 'ktime_get_with_offset',
			'put_device', 'root_device_unregister', 'scsi_build_sense', 'uuid_gen',
		],
	},
};

/**
 * Why kmm differs from modpost today. Each was traced by hand (the chain is in the entry's
 * comment in the report that introduced this test); fixing one means deleting its entries.
 * None today: trace events, ternary arms, asm-generic headers and __builtin_constant_p choices
 * were the last (engine/trace-events.ts, syntax/choices.ts, inline-reach.ts).
 */
const WHY: Record<string, string> = {};

/**
 * kmm's current differences from EXPECTED, per module: `missing` (modpost reports, kmm does
 * not) and `extra` (kmm reports, modpost does not); a bare symbol is gpl-only-symbol, else
 * `kind symbol`. Applied exactly: kmm must equal EXPECTED - missing + extra, so a fix or a
 * regression fails until this table is updated. Empty it to make the test strict.
 */
const KNOWN_GAPS: Record<string, Gap[]> = {};

interface Gap {
	missing?: string[];
	extra?: string[];
	why: string;
}

/** `kind symbol` strings of one module's table row, sorted. */
function keysOf(row: Partial<Record<Kind, string[]>> | undefined): string[] {
	return Object.entries(row ?? {})
		.flatMap(([kind, symbols]) => symbols.map((s) => `${kind} ${s}`))
		.sort();
}

function gapKey(entry: string): string {
	return entry.includes(' ') ? entry : `gpl-only-symbol ${entry}`;
}

/** EXPECTED's row with KNOWN_GAPS applied: what kmm reports today. */
function kmmWant(key: string): string[] {
	const gaps = KNOWN_GAPS[key] ?? [];
	const missing = new Set(gaps.flatMap((g) => g.missing ?? []).map(gapKey));
	const extra = gaps.flatMap((g) => g.extra ?? []).map(gapKey);
	return [...new Set([...keysOf(EXPECTED[key]).filter((k) => !missing.has(k)), ...extra])].sort();
}

function addFinding(table: FindingTable, key: string, f: ModuleFinding): void {
	const row = (table[key] ??= {});
	const symbol = f.namespace ? `${f.symbol} ${f.namespace}` : f.symbol;
	const list = (row[f.kind] ??= []);
	if (!list.includes(symbol)) list.push(symbol);
	list.sort();
}

/** Rows of `table` whose key is in copy `name`. */
function rowsOf(table: Record<string, unknown>, name: string): string[] {
	return Object.keys(table)
		.filter((k) => k.startsWith(`${name}/`))
		.sort();
}

test('relicensed in-tree modules: real modpost equals the stored table, and so does kmm check', async (t) => {
	const kernel = requireRealKernel(t);
	if (!kernel) return;
	const headers = requireHeaders(t);
	if (!headers) return;
	assert.ok(existsSync(KMM), `${KMM} is missing: run npm run build`);
	assert.ok(SPECS.length >= 30, 'oracle 4b asks for at least 30 module directories');

	// Two copies: make writes objects and *.mod.c next to the sources, kmm must not see them.
	const root = mkdtempSync(join(tmpdir(), 'kmm-relicensed-'));
	for (const s of SPECS) {
		for (const side of ['build', 'kmm']) {
			const n = prepareModule(kernel.src, s, join(root, side, s.name));
			assert.ok(n > 0, `${s.src}: no MODULE_LICENSE to relicense`);
		}
	}

	// Two builds at a time next to one kmm check (which indexes the tree into a fresh cache).
	const started = Date.now();
	const [builds, run] = await Promise.all([
		pool(SPECS, 2, (s) => buildModule(headers, join(root, 'build', s.name))),
		runKmm(
			KMM,
			[
				'check',
				...SPECS.map((s) => s.name),
				'--kernel',
				kernel.src,
				'--config',
				join(headers, '.config'),
				'--cache-dir',
				join(root, 'cache'),
				'--format',
				'json',
			],
			join(root, 'kmm'),
		),
	]);
	const wall = (Date.now() - started) / 1000;

	const modpost: FindingTable = {};
	const other = new Map<string, string[]>();
	const members = new Map<string, Map<string, string>>();
	SPECS.forEach((s, i) => {
		const byFile = builtMembers(join(root, 'build', s.name));
		members.set(s.name, byFile);
		for (const mod of new Set(byFile.values())) modpost[`${s.name}/${mod}`] ??= {};
		const parsed = parseModpost(builds[i].output);
		for (const f of parsed.findings) addFinding(modpost, `${s.name}/${f.module}`, f);
		other.set(s.name, parsed.other);
	});

	// kmm: each diagnostic goes back to its copy and, by the build's *.mod lists, its module.
	const kmm: FindingTable = {};
	const kmmOther = new Map<string, string[]>();
	let kmmError: string | undefined;
	if (run.status !== 0 && run.status !== 1) kmmError = `kmm check exited ${run.status}\n${run.stderr}`;
	else {
		try {
			const json = JSON.parse(run.stdout) as { diagnostics: KmmDiagnostic[] };
			for (const d of json.diagnostics) {
				const path = resolve(join(root, 'kmm'), d.file);
				const [name, ...rest] = relative(join(root, 'kmm'), path).split(sep);
				const file = rest.join('/');
				const kind = kindOfCode(d.code);
				if (!kind) {
					kmmOther.set(name, [...(kmmOther.get(name) ?? []), `${file}:${d.line} ${d.code}: ${d.message}`]);
					continue;
				}
				// A file the build did not link (a Kbuild conditional) keeps its name: `?file`.
				const module = members.get(name)?.get(file) ?? `?${file}`;
				const symbol = symbolOf(d, readFileSync(path, 'utf8'));
				const namespace = kind === 'missing-namespace-import' ? namespaceOf(d) : undefined;
				addFinding(kmm, `${name}/${module}`, { module, kind, symbol, ...(namespace ? { namespace } : {}) });
			}
		} catch (e) {
			kmmError = `cannot read kmm's JSON: ${String(e)}\n${run.stdout.slice(0, 2000)}\n${run.stderr}`;
		}
	}

	const totalBuild = builds.reduce((sum, b) => sum + b.seconds, 0);
	const lines = SPECS.flatMap((s) =>
		[...new Set([...rowsOf(EXPECTED, s.name), ...rowsOf(modpost, s.name), ...rowsOf(kmm, s.name)])].sort().map((key) => {
			const want = new Set(keysOf(EXPECTED[key]));
			const got = keysOf(kmm[key]);
			const extra = got.filter((k) => !want.has(k));
			const missing = [...want].filter((k) => !got.includes(k));
			const diff = ['kmm', ...extra.map((k) => `+${k}`), ...missing.map((k) => `-${k}`)].join(' ') + (extra.length + missing.length ? '' : ' ok');
			return `  ${key.padEnd(34)} modpost ${String(keysOf(modpost[key]).length).padStart(3)}  ${diff}`;
		}),
	);
	console.log(
		`\nrelicensed modules: real modpost (${headers}) vs EXPECTED vs kmm check (${kernel.src})\n` +
			`${SPECS.length} directories: ${totalBuild.toFixed(1)}s of make in all, 2 at a time next to one kmm check ` +
			`(${run.seconds.toFixed(1)}s, index included); ${wall.toFixed(1)}s wall\n${lines.join('\n')}\n`,
	);

	for (const [i, s] of SPECS.entries()) {
		const b: BuildResult = builds[i];
		await t.test(`${s.name} (${s.src}): builds, and modpost equals EXPECTED`, () => {
			assert.ok(b.reachedModpost, `${s.src} does not compile against ${headers}:\n${b.output}`);
			assert.deepEqual(other.get(s.name), [], `${s.name}: modpost said something this test does not understand:\n${b.output}`);
			const rows = rowsOf(modpost, s.name);
			assert.deepEqual(rows, rowsOf(EXPECTED, s.name), `${s.name}: the modules built`);
			for (const key of rows) assert.deepEqual(keysOf(modpost[key]), keysOf(EXPECTED[key]), `${key}: modpost (actual) vs EXPECTED:\n${b.output}`);
			assert.equal(b.status !== 0, rows.some((k) => keysOf(modpost[k]).length > 0), `${s.name}: make's status ${b.status} vs modpost's errors`);
		});
		const keys = [...new Set([...rowsOf(EXPECTED, s.name), ...rowsOf(kmm, s.name), ...rowsOf(KNOWN_GAPS, s.name)])].sort();
		const gaps = keys.flatMap((k) => KNOWN_GAPS[k] ?? []);
		const causes = [...new Set(gaps.map((g) => Object.entries(WHY).find(([, why]) => why === g.why)?.[0] ?? g.why))];
		const title = gaps.length
			? `${s.name}: kmm check equals EXPECTED but for known gaps (${causes.join(', ')})`
			: `${s.name}: kmm check equals EXPECTED`;
		await t.test(title, () => {
			assert.ok(!kmmError, kmmError);
			const notes = kmmOther.get(s.name)?.length ? `\nother kmm diagnostics:\n  ${kmmOther.get(s.name)!.join('\n  ')}` : '';
			for (const key of keys) {
				const fix = KNOWN_GAPS[key] ? ' (a fix? update KNOWN_GAPS)' : '';
				assert.deepEqual(keysOf(kmm[key]), kmmWant(key), `${key}: kmm (actual) vs EXPECTED with KNOWN_GAPS${fix}${notes}`);
			}
		});
	}

	if (process.env.KMM_KEEP_RELICENSED_BUILD) console.log(`kept ${root}`);
	else rmSync(root, { recursive: true, force: true });
});
