//! How the rest of a session will run: each remaining paper's projected start and end, and
//! how a delay is absorbed ([`AbsorbPolicy`]).
//!
//! Pure like the engine that uses it: given the papers, when the first of them can start and
//! the session's hard stop, it says when each will start, when its questions start and when it
//! ends. The rules (docs/schedule-format.md, "Running late"):
//! - **push** keeps every paper's full time, and a paper never starts before its planned time,
//!   so a session that ends early does not pull the next paper forward;
//! - **trim_questions** shortens the question parts of the papers evenly, by as much as the
//!   session would otherwise overrun its hard stop and as far as the question parts allow;
//! - **shrink** runs the papers back to back and shortens each (talk and questions alike) in
//!   proportion, so that the session ends at the hard stop; no slot is cut below a minute.
//!
//! Every length is computed in whole milliseconds, and the last slot takes what remains, so
//! a shrunk session ends exactly at its hard stop.

use chrono::{DateTime, Duration, Utc};

use crate::chair::AbsorbPolicy;
use crate::model::Talk;

/// The shortest slot that shrinking leaves a paper (or its planned length, if shorter).
pub const MIN_SHRUNK_SLOT: Duration = Duration::minutes(1);

/// When the first of the papers can start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstStart {
    /// It started then (the paper being given).
    Actual(DateTime<Utc>),
    /// Not before then, and not before its planned start (the next paper, after the one
    /// being given ends).
    NotBefore(DateTime<Utc>),
}

/// One paper's slot as the session will run it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedSlot {
    /// When the paper starts.
    pub start: DateTime<Utc>,
    /// When its questions start (its end, when it has none).
    pub questions_start: DateTime<Utc>,
    /// When the slot ends, questions included.
    pub end: DateTime<Utc>,
}

impl PlannedSlot {
    /// The whole slot's length.
    pub fn length(&self) -> Duration {
        self.end - self.start
    }

    /// The question part's length.
    pub fn questions(&self) -> Duration {
        self.end - self.questions_start
    }
}

/// The slots of `talks` (the remaining papers of a session, in order) when the first can
/// start at `first` and the session must end by `hard_stop`, under `policy`.
///
/// Instants are saturated at the calendar's edges rather than overflowing: they come from
/// input.
pub fn plan(
    policy: AbsorbPolicy,
    talks: &[Talk],
    first: FirstStart,
    hard_stop: DateTime<Utc>,
) -> Vec<PlannedSlot> {
    let full: Vec<Slot> = talks.iter().map(Slot::planned).collect();
    let pushed = lay_out(talks, &full, first);
    let overrun = pushed
        .last()
        .map_or(0, |last| millis_between(hard_stop, last.end));
    if overrun <= 0 {
        return pushed;
    }
    match policy {
        AbsorbPolicy::Push => pushed,
        AbsorbPolicy::TrimQuestions => {
            let questions: Vec<i64> = full.iter().map(|slot| slot.questions).collect();
            let cuts = even_cuts(&questions, overrun);
            let trimmed: Vec<Slot> = full
                .iter()
                .zip(cuts)
                .map(|(slot, cut)| Slot {
                    length: slot.length - cut,
                    questions: slot.questions - cut,
                })
                .collect();
            lay_out(talks, &trimmed, first)
        }
        AbsorbPolicy::Shrink => {
            let start = match first {
                FirstStart::Actual(start) | FirstStart::NotBefore(start) => start,
            };
            let available = millis_between(start, hard_stop).max(0);
            let shrunk = shrink(&full, available);
            back_to_back(&shrunk, start)
        }
    }
}

/// A slot's length and its question part, in milliseconds.
#[derive(Debug, Clone, Copy)]
struct Slot {
    length: i64,
    questions: i64,
}

impl Slot {
    fn planned(talk: &Talk) -> Slot {
        let length = talk.duration().num_milliseconds().max(0);
        Slot {
            length,
            questions: talk.qa.num_milliseconds().clamp(0, length),
        }
    }
}

/// Milliseconds from `from` to `to`, saturating.
fn millis_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    to.signed_duration_since(from).num_milliseconds()
}

fn add_millis(instant: DateTime<Utc>, millis: i64) -> DateTime<Utc> {
    instant
        .checked_add_signed(Duration::milliseconds(millis))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

fn slot_from(start: DateTime<Utc>, slot: Slot) -> PlannedSlot {
    let end = add_millis(start, slot.length);
    PlannedSlot {
        start,
        questions_start: add_millis(start, slot.length - slot.questions),
        end,
    }
}

/// The slots one after another, none before its planned start.
fn lay_out(talks: &[Talk], slots: &[Slot], first: FirstStart) -> Vec<PlannedSlot> {
    let mut planned = Vec::with_capacity(slots.len());
    let mut previous_end: Option<DateTime<Utc>> = None;
    for (position, (talk, slot)) in talks.iter().zip(slots).enumerate() {
        let start = match (position, first, previous_end) {
            (0, FirstStart::Actual(start), _) => start,
            (0, FirstStart::NotBefore(earliest), _) => earliest.max(talk.start),
            (_, _, Some(end)) => end.max(talk.start),
            (_, _, None) => talk.start,
        };
        let laid = slot_from(start, *slot);
        previous_end = Some(laid.end);
        planned.push(laid);
    }
    planned
}

/// The slots one after another from `start`, with no gaps.
fn back_to_back(slots: &[Slot], start: DateTime<Utc>) -> Vec<PlannedSlot> {
    let mut planned = Vec::with_capacity(slots.len());
    let mut at = start;
    for slot in slots {
        let laid = slot_from(at, *slot);
        at = laid.end;
        planned.push(laid);
    }
    planned
}

/// Cuts from each question part that add up to `total` (or to all of them, if they are
/// shorter), as evenly as the parts allow: a part shorter than the even share is cut to
/// nothing and the rest share what remains.
fn even_cuts(questions: &[i64], total: i64) -> Vec<i64> {
    let mut cuts = vec![0; questions.len()];
    let mut left = total.min(questions.iter().sum());
    // The parts from shortest to longest: each takes its share of what is left, or all of
    // itself if that is less.
    let mut order: Vec<usize> = (0..questions.len()).collect();
    order.sort_by_key(|&index| questions[index]);
    for (taken, &index) in order.iter().enumerate() {
        let sharing = (order.len() - taken) as i64;
        // Rounding up keeps the total exact: the last part takes the remainder.
        let share = (left + sharing - 1) / sharing;
        let cut = share.min(questions[index]).min(left);
        cuts[index] = cut;
        left -= cut;
    }
    cuts
}

/// The slots shortened in proportion to fit `available` milliseconds, none below
/// [`MIN_SHRUNK_SLOT`] (or its own length, if shorter), and none lengthened.
fn shrink(slots: &[Slot], available: i64) -> Vec<Slot> {
    let floor = |slot: &Slot| slot.length.min(MIN_SHRUNK_SLOT.num_milliseconds());
    // Which slots sit at their floor: found by repeating the proportional share until no
    // further slot falls below its floor (at most once per slot).
    let mut at_floor = vec![false; slots.len()];
    let (mut share, mut free_total) = (0_i64, 0_i64);
    for _ in 0..=slots.len() {
        let floored: i64 = slots
            .iter()
            .zip(&at_floor)
            .filter(|(_, at_floor)| **at_floor)
            .map(|(slot, _)| floor(slot))
            .sum();
        free_total = slots
            .iter()
            .zip(&at_floor)
            .filter(|(_, at_floor)| !**at_floor)
            .map(|(slot, _)| slot.length)
            .sum();
        // The free slots share this much, never more than their own lengths.
        share = (available - floored).clamp(0, free_total);
        let mut changed = false;
        for (slot, at_floor) in slots.iter().zip(at_floor.iter_mut()) {
            if !*at_floor && scale(slot.length, share, free_total) < floor(slot) {
                *at_floor = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Each free slot ends where its share of the cumulative length says, rounded down: the
    // ends then never move earlier when the start moves later, and the last free slot ends
    // exactly where the share runs out.
    let mut shrunk = Vec::with_capacity(slots.len());
    let (mut free_so_far, mut shared_so_far) = (0_i64, 0_i64);
    for (slot, at_floor) in slots.iter().zip(&at_floor) {
        let length = if *at_floor {
            floor(slot)
        } else {
            free_so_far += slot.length;
            let shared_end = scale(free_so_far, share, free_total);
            let length = shared_end - shared_so_far;
            shared_so_far = shared_end;
            length
        };
        shrunk.push(Slot {
            length,
            questions: scale(slot.questions, length, slot.length),
        });
    }
    shrunk
}

/// `part` of `whole`, scaled to `length`.
fn scale(part: i64, length: i64, whole: i64) -> i64 {
    if whole <= 0 {
        return 0;
    }
    ((part as i128 * length as i128) / whole as i128) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TalkId;

    fn instant(minutes: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::minutes(minutes)
    }

    /// Back-to-back talks of the given lengths and question parts, in minutes, from 0.
    fn talks(slots: &[(i64, i64)]) -> Vec<Talk> {
        let mut start = 0;
        slots
            .iter()
            .enumerate()
            .map(|(index, &(length, qa))| {
                let talk = Talk {
                    id: TalkId(format!("t{index}")),
                    title: String::new(),
                    speakers: Vec::new(),
                    abstract_text: None,
                    start: instant(start),
                    end: instant(start + length),
                    qa: Duration::minutes(qa),
                };
                start += length;
                talk
            })
            .collect()
    }

    fn minutes_of(slots: &[PlannedSlot]) -> Vec<(i64, i64, i64)> {
        let minutes = |at: DateTime<Utc>| (at - instant(0)).num_minutes();
        slots
            .iter()
            .map(|slot| {
                (
                    minutes(slot.start),
                    minutes(slot.questions_start),
                    minutes(slot.end),
                )
            })
            .collect()
    }

    #[test]
    fn on_time_every_policy_keeps_the_plan() {
        let program = talks(&[(15, 5), (15, 5)]);
        for policy in AbsorbPolicy::ALL {
            let slots = plan(
                policy,
                &program,
                FirstStart::Actual(instant(0)),
                instant(30),
            );
            assert_eq!(
                minutes_of(&slots),
                [(0, 10, 15), (15, 25, 30)],
                "{policy:?}"
            );
        }
    }

    #[test]
    fn push_keeps_full_times_and_never_starts_a_paper_early() {
        let program = talks(&[(15, 5), (15, 5), (15, 5)]);
        let late = plan(
            AbsorbPolicy::Push,
            &program,
            FirstStart::Actual(instant(6)),
            instant(45),
        );
        assert_eq!(minutes_of(&late), [(6, 16, 21), (21, 31, 36), (36, 46, 51)]);
        // After an early end the next paper waits for its planned time.
        let early = plan(
            AbsorbPolicy::Push,
            &program[1..],
            FirstStart::NotBefore(instant(12)),
            instant(45),
        );
        assert_eq!(minutes_of(&early), [(15, 25, 30), (30, 40, 45)]);
    }

    #[test]
    fn trimming_shares_the_delay_among_the_question_parts() {
        let program = talks(&[(15, 5), (15, 5), (15, 5)]);
        // Six minutes late: two minutes off each question part.
        let slots = plan(
            AbsorbPolicy::TrimQuestions,
            &program,
            FirstStart::Actual(instant(6)),
            instant(45),
        );
        assert_eq!(
            minutes_of(&slots),
            [(6, 16, 19), (19, 29, 32), (32, 42, 45)]
        );
        // Twenty minutes late: the questions are gone, and the session still ends late.
        let slots = plan(
            AbsorbPolicy::TrimQuestions,
            &program,
            FirstStart::Actual(instant(20)),
            instant(45),
        );
        assert_eq!(
            minutes_of(&slots),
            [(20, 30, 30), (30, 40, 40), (40, 50, 50)]
        );
    }

    #[test]
    fn uneven_question_parts_are_cut_evenly_as_far_as_each_allows() {
        assert_eq!(even_cuts(&[1, 10, 10], 9), vec![1, 4, 4]);
        assert_eq!(even_cuts(&[0, 0, 9], 5), vec![0, 0, 5]);
        assert_eq!(even_cuts(&[3, 3, 3], 100), vec![3, 3, 3]);
        assert_eq!(even_cuts(&[5, 5, 5], 7), vec![3, 2, 2]);
        assert_eq!(even_cuts(&[], 7), Vec::<i64>::new());
    }

    #[test]
    fn shrinking_ends_at_the_hard_stop() {
        let program = talks(&[(20, 5), (20, 0), (20, 5)]);
        let slots = plan(
            AbsorbPolicy::Shrink,
            &program,
            FirstStart::Actual(instant(6)),
            instant(60),
        );
        // 54 minutes for 60 planned: each slot at nine tenths.
        let lengths: Vec<i64> = slots
            .iter()
            .map(|slot| slot.length().num_seconds())
            .collect();
        assert_eq!(lengths, [1080, 1080, 1080]);
        assert_eq!(slots[0].questions().num_seconds(), 270);
        assert_eq!(slots[1].questions(), Duration::zero());
        assert_eq!(slots[2].end, instant(60));
    }

    #[test]
    fn shrinking_stops_at_a_minute_a_slot() {
        let program = talks(&[(15, 5), (15, 5)]);
        let slots = plan(
            AbsorbPolicy::Shrink,
            &program,
            FirstStart::Actual(instant(29)),
            instant(30),
        );
        assert_eq!(minutes_of(&slots)[1].2, 31, "two one-minute slots");
        let slots = plan(
            AbsorbPolicy::Shrink,
            &program,
            FirstStart::Actual(instant(40)),
            instant(30),
        );
        assert!(slots.iter().all(|slot| slot.length() == MIN_SHRUNK_SLOT));
    }
}
