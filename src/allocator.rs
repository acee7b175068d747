//! The process's allocator: mimalloc, asked the way its own `malloc` is asked.
//! The `gongkai` binary and the benchmarks that time the library in-process use it
//! (`#[global_allocator]`); the library itself allocates through whatever the
//! program using it chose.
//!
//! The `mimalloc` crate sends every allocation through `mi_malloc_aligned`. In
//! mimalloc v3 that takes, for any block size that is not a power of two, the
//! over-allocating path: a larger block, on a page then marked as holding interior
//! pointers (2.5 % of a 10k build's instructions went there; see
//! purpleprotocol/mimalloc_rust#170). An alignment that mimalloc's size classes give
//! anyway goes to the plain functions instead, as the standard library's `System`
//! allocator does with `malloc`.
//!
//! [`configure`] sets it up for a build's memory: no transparent huge pages, and
//! freed memory handed back to the system sooner than mimalloc's default second.

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// mimalloc's `mi_option_purge_delay`, numbered as in v3's `mi_option_t`
/// (libmimalloc-sys is pinned; a test reads the option's default through it).
const OPTION_PURGE_DELAY: mi::mi_option_t = 15;

/// mimalloc's `mi_option_allow_thp` (as [`OPTION_PURGE_DELAY`]).
const OPTION_ALLOW_THP: mi::mi_option_t = 43;

/// How long freed memory stays with the process before it is returned, in ms.
/// mimalloc's 1,000 kept the pages of a build's finished phases resident into the
/// next (a 50,000-task build: 341–390 MB peak RSS with it, 289–293 MB with 250 ms
/// and no huge pages, wall time unchanged; docs/benchmarks.md).
const PURGE_DELAY_MS: std::ffi::c_long = 250;

/// Sets mimalloc up for this process, first thing in `main`: no transparent huge
/// pages (mimalloc asks for them on every arena; a huge page stays resident while
/// any 4 KiB of it is used) and freed memory returned after [`PURGE_DELAY_MS`]. A
/// `MIMALLOC_ALLOW_THP` or `MIMALLOC_PURGE_DELAY` in the environment is left to rule.
pub fn configure() {
    let unset = |name: &str| std::env::var_os(name).is_none();
    if unset("MIMALLOC_ALLOW_THP") {
        // SAFETY: plain FFI calls; mimalloc reads the option at each new arena.
        unsafe { mi::mi_option_set(OPTION_ALLOW_THP, 0) };
        // Arenas reserved before `main` were asked for huge pages already: the
        // process-wide switch covers them (what mimalloc itself does at start when
        // the option comes from the environment).
        #[cfg(target_os = "linux")]
        // SAFETY: prctl with an integer flag; its result (unsupported kernel) is moot.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
    if unset("MIMALLOC_PURGE_DELAY") {
        // SAFETY: a plain FFI call; mimalloc reads the option at each purge.
        unsafe { mi::mi_option_set(OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}

/// mimalloc as the global allocator.
pub struct MiMalloc;

/// True when a plain block of `size` bytes has the alignment `align`: mimalloc's
/// size classes are multiples of 8 bytes (of 16 above 16 bytes) and its pages'
/// first blocks are 16-byte aligned (`MI_MAX_ALIGN_SIZE`).
fn plain_block_fits(size: usize, align: usize) -> bool {
    align <= 16 && size.is_multiple_of(align)
}

/// A block of `layout` from `plain` when its size classes give the alignment, else
/// from `aligned` (mimalloc's `malloc`/`zalloc` and their aligned forms).
///
/// # Safety
/// `layout` has a non-zero size; `plain` and `aligned` are mimalloc's functions.
#[inline(always)]
unsafe fn allocate(
    layout: Layout,
    plain: unsafe extern "C" fn(usize) -> *mut c_void,
    aligned: unsafe extern "C" fn(usize, usize) -> *mut c_void,
) -> *mut u8 {
    // SAFETY: plain FFI calls with a size and a power-of-two alignment.
    unsafe {
        if plain_block_fits(layout.size(), layout.align()) {
            plain(layout.size()).cast()
        } else {
            aligned(layout.size(), layout.align()).cast()
        }
    }
}

// SAFETY: each function hands mimalloc's result through unchanged; a plain block is
// used only when its alignment is the one asked for (see `plain_block_fits`), and
// every block, however allocated, is freed or reallocated by mimalloc itself.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's allocating functions, with the caller's layout.
        unsafe { allocate(layout, mi::mi_malloc, mi::mi_malloc_aligned) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe { allocate(layout, mi::mi_zalloc, mi::mi_zalloc_aligned) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` was allocated by mimalloc (the caller's contract).
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by mimalloc with `layout` (the caller's contract);
        // mimalloc reallocates its own blocks, aligned or not.
        unsafe {
            if plain_block_fits(new_size, layout.align()) {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_numbers_name_the_options_meant() {
        // Their defaults, which their neighbours in the list do not share (the test
        // process has not called `configure`, and leaves the options as they are).
        // SAFETY: plain FFI calls reading options.
        unsafe {
            assert_eq!(mi::mi_option_get(OPTION_PURGE_DELAY), 1000);
            assert_eq!(mi::mi_option_get(OPTION_PURGE_DELAY - 1), 1); // deprecated_eager_commit_delay
            assert_eq!(mi::mi_option_get(OPTION_ALLOW_THP), 1);
            assert_eq!(mi::mi_option_get(OPTION_ALLOW_THP + 1), 0); // minimal_purge_size
        }
    }

    #[test]
    fn every_block_has_the_alignment_asked_for() {
        let a = MiMalloc;
        for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [
                1usize,
                3,
                8,
                12,
                24,
                40,
                48,
                100,
                1000,
                1500,
                5000,
                70_000,
                3 << 20,
            ] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero sizes; each block freed once with its layout.
                unsafe {
                    let p = a.alloc(layout);
                    assert!(
                        !p.is_null() && (p as usize).is_multiple_of(align),
                        "{size} {align}"
                    );
                    p.write_bytes(7, size);
                    let z = a.alloc_zeroed(layout);
                    assert!((z as usize).is_multiple_of(align), "{size} {align}");
                    assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                    // Grown to a size of the other kind, then of the same kind:
                    // a block of either path reallocated through either.
                    let mut block = p;
                    let mut now = layout;
                    for grown in [size * 3 + 1, (size * 7).next_multiple_of(align)] {
                        block = a.realloc(block, now, grown);
                        assert!(
                            (block as usize).is_multiple_of(align),
                            "{size} {align} → {grown}"
                        );
                        let kept = std::slice::from_raw_parts(block, size);
                        assert!(kept.iter().all(|&b| b == 7), "{size} {align} → {grown}");
                        now = Layout::from_size_align(grown, align).unwrap();
                    }
                    a.dealloc(block, now);
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
