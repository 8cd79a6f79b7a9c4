//! Session ids that stay unique, and the rooms of a file in the order they are met.

use std::collections::{HashMap, HashSet};

use super::clean_line;
use crate::validate::{RoomDraft, RoomRef};

/// Session ids that stay unique: a repeated id gets `-2`, `-3`, ... in the order found.
///
/// Each base remembers the next suffix to try, so that the thousandth copy of an id does not
/// try the nine hundred and ninety-nine suffixes before it: numbering is O(1) amortised per id.
/// A suffix is still skipped when the file itself uses the id it would make (`talk-2` given
/// before the second `talk`).
#[derive(Default)]
pub(crate) struct UniqueIds {
    seen: HashSet<String>,
    next_suffix: HashMap<String, u64>,
}

impl UniqueIds {
    /// `base`, or `base-N` for the smallest N, from the last one given for `base`, that is
    /// still free.
    pub(crate) fn unique(&mut self, base: String) -> String {
        let base = if base.trim().is_empty() {
            "session".to_owned()
        } else {
            base
        };
        if self.seen.insert(base.clone()) {
            return base;
        }
        let next = self.next_suffix.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}-{next}");
            *next += 1;
            if self.seen.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// The rooms of a schedule in the order they are first met, unique ignoring case.
#[derive(Default)]
pub(crate) struct Rooms {
    drafts: Vec<RoomDraft>,
    by_name: HashMap<String, usize>,
}

impl Rooms {
    /// Adds a room unless one of that name (ignoring case) is already known; returns the
    /// room's name as first met.
    pub(crate) fn add(&mut self, name: &str, origin: impl FnOnce() -> String) -> String {
        let name = clean_line(name);
        let key = name.to_lowercase();
        if let Some(&index) = self.by_name.get(&key) {
            return self.drafts[index].name.clone();
        }
        self.by_name.insert(key, self.drafts.len());
        self.drafts.push(RoomDraft {
            origin: origin(),
            name: name.clone(),
            short_name: None,
        });
        name
    }

    /// Whether a room of this name (ignoring case) is known.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(&clean_line(name).to_lowercase())
    }

    /// Whether no room is known.
    pub(crate) fn is_empty(&self) -> bool {
        self.drafts.is_empty()
    }

    /// The rooms, in order.
    pub(crate) fn into_drafts(self) -> Vec<RoomDraft> {
        self.drafts
    }
}

/// The room an event names, or all rooms when the name is blank.
pub(crate) fn room_ref(name: &str) -> RoomRef {
    let name = clean_line(name);
    if name.is_empty() {
        RoomRef::AllRooms
    } else {
        RoomRef::Named(name)
    }
}

/// The room created for a file that names none, so that its sessions have somewhere to be.
pub(crate) const FALLBACK_ROOM: &str = "Main room";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_ids_are_numbered_and_never_clash() {
        let mut ids = UniqueIds::default();
        let given: Vec<String> = ["a", "a", "a-3", "a", "a", "", ""]
            .into_iter()
            .map(|id| ids.unique(id.to_owned()))
            .collect();
        assert_eq!(
            given,
            ["a", "a-2", "a-3", "a-4", "a-5", "session", "session-2"]
        );
        let mut many = UniqueIds::default();
        let last = (0..20_000).map(|_| many.unique("x".to_owned())).last();
        assert_eq!(last.as_deref(), Some("x-20000"));
    }
}
