//! Delivery disorder: which step goes out when, and how many times, as at-least-once delivery
//! does it.

/// The order a run's deliveries go out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The steps as written.
    AsWritten,
    /// Last step first.
    Reverse,
    /// A random order, repeatable from its seed.
    Shuffle,
    /// All at once.
    Concurrent,
}

impl std::fmt::Display for Order {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Order::AsWritten => "as-written",
            Order::Reverse => "reverse",
            Order::Shuffle => "shuffle",
            Order::Concurrent => "concurrent",
        })
    }
}

/// One delivery of a run: which step, and which copy of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dispatch {
    /// The step's index, in written order.
    pub step: usize,
    /// 0 for a step's first delivery, then 1, 2, … for its extra copies, in sending order.
    pub copy: u32,
}

/// The deliveries of `steps` steps, each sent `1 + duplicate` times (a copy right after the
/// step, as a provider's retry follows its first try), in `order`; a shuffle mixes every
/// delivery, copies included, and is the same for the same `seed`.
pub fn deliveries(steps: usize, order: Order, seed: u64, duplicate: u32) -> Vec<Dispatch> {
    let mut indices: Vec<usize> = (0..steps).collect();
    if order == Order::Reverse {
        indices.reverse();
    }
    let mut sequence: Vec<usize> = indices
        .into_iter()
        .flat_map(|step| std::iter::repeat_n(step, 1 + duplicate as usize))
        .collect();
    if order == Order::Shuffle {
        shuffle(&mut sequence, seed);
    }
    let mut sent = vec![0u32; steps];
    sequence
        .into_iter()
        .map(|step| {
            let copy = sent[step];
            sent[step] += 1;
            Dispatch { step, copy }
        })
        .collect()
}

/// Fisher–Yates with SplitMix64: the same seed gives the same order in every build.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed;
    for i in (1..items.len()).rev() {
        let j = (next(&mut state) % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

/// SplitMix64's next value.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(d: &[Dispatch]) -> Vec<(usize, u32)> {
        d.iter().map(|d| (d.step, d.copy)).collect()
    }

    #[test]
    fn copies_follow_their_step_and_reverse_starts_at_the_end() {
        assert_eq!(
            steps(&deliveries(2, Order::AsWritten, 0, 1)),
            [(0, 0), (0, 1), (1, 0), (1, 1)]
        );
        assert_eq!(
            steps(&deliveries(3, Order::Reverse, 0, 0)),
            [(2, 0), (1, 0), (0, 0)]
        );
    }

    #[test]
    fn a_shuffle_is_a_permutation_repeated_by_its_seed() {
        let a = deliveries(8, Order::Shuffle, 7, 1);
        assert_eq!(a, deliveries(8, Order::Shuffle, 7, 1));
        assert_ne!(a, deliveries(8, Order::Shuffle, 8, 1));
        let mut sorted = steps(&a);
        sorted.sort();
        assert_eq!(sorted, steps(&deliveries(8, Order::AsWritten, 0, 1)));
    }
}
