//! Reading the JSON formats with located errors: which JSON format a document is, serde
//! errors turned into a line, a column and a path, and the small value types that exports
//! spell in more than one way.

use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::diagnostic::{Diagnostic, LoadError, Location};
use crate::formats::Format;

/// The top-level keys that tell the JSON formats apart. Everything else is skipped unread.
#[derive(Deserialize)]
struct JsonProbe {
    #[serde(rename = "$schema", default)]
    schema: Option<serde_json::Value>,
    #[serde(default)]
    schedule: Option<JsonProbeSchedule>,
    #[serde(default)]
    events: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct JsonProbeSchedule {
    #[serde(default)]
    events: Option<IgnoredAny>,
}

/// Which JSON format a document is; see [`Format::detect`].
pub(crate) fn detect_json(content: &[u8]) -> Format {
    let Ok(probe) = serde_json::from_slice::<JsonProbe>(content) else {
        return Format::Native;
    };
    let schema_says_schedule2 = probe
        .schema
        .as_ref()
        .and_then(serde_json::Value::as_str)
        .is_some_and(|schema| schema.contains("schedule2") || schema.ends_with("schema2.json"));
    match probe.schedule {
        _ if schema_says_schedule2 => Format::Schedule2,
        Some(schedule) if schedule.events.is_some() => Format::Schedule2,
        Some(_) => Format::Frab,
        None if probe.events.is_some() => Format::Schedule2,
        None => Format::Native,
    }
}

/// Parses a JSON document into a format's raw types. The first parse does not track paths;
/// only when it fails is the document read again to say where.
pub(crate) fn read_json<T: DeserializeOwned>(text: &str, format: Format) -> Result<T, LoadError> {
    let mut json = serde_json::Deserializer::from_str(text);
    match T::deserialize(&mut json).and_then(|raw| json.end().map(|()| raw)) {
        Ok(raw) => Ok(raw),
        Err(_) => Err(LoadError::single(locate_json_error::<T>(text, format))),
    }
}

fn locate_json_error<T: DeserializeOwned>(text: &str, format: Format) -> Diagnostic {
    let help = format!(
        "see docs/formats.md for the fields of {} that lectern reads",
        format.description()
    );
    let mut json = serde_json::Deserializer::from_str(text);
    let error = match serde_path_to_error::deserialize::<_, T>(&mut json) {
        Err(error) => error,
        Ok(_) => {
            return match json.end() {
                Err(error) => json_syntax_error(&error),
                Ok(()) => {
                    Diagnostic::error(Location::Input, "the file could not be read").with_help(help)
                }
            };
        }
    };
    let inner = error.inner();
    let path = json_path(error.path());
    let message = strip_position(&inner.to_string());
    match inner.classify() {
        serde_json::error::Category::Data if !path.is_empty() => Diagnostic::error(
            Location::PathAt {
                path,
                line: inner.line(),
                column: inner.column().max(1),
            },
            message,
        )
        .with_help(help),
        serde_json::error::Category::Data => Diagnostic::error(
            Location::LineColumn {
                line: inner.line(),
                column: inner.column().max(1),
            },
            message,
        )
        .with_help(help),
        _ => json_syntax_error(inner),
    }
}

/// A JSON syntax error at its line and column.
pub(crate) fn json_syntax_error(error: &serde_json::Error) -> Diagnostic {
    Diagnostic::error(
        Location::LineColumn {
            line: error.line(),
            // serde_json reports column 0 when the problem is the line break itself.
            column: error.column().max(1),
        },
        strip_position(&error.to_string()),
    )
    .with_help("fix the JSON syntax at this position")
}

/// serde_json appends " at line 3 column 7" to its messages; we show the position up front.
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// A path as `schedule.conference.days[2].rooms["Saal 1"][3].start`.
fn json_path(path: &serde_path_to_error::Path) -> String {
    let mut text = String::new();
    for segment in path {
        match segment {
            serde_path_to_error::Segment::Seq { index } => text.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key } => text = json_key(&text, key),
            serde_path_to_error::Segment::Enum { variant } => text = json_key(&text, variant),
            serde_path_to_error::Segment::Unknown => text.push_str(".?"),
        }
    }
    text
}

/// `parent.key` for a field name, `parent["key"]` for anything else. The formats' field names
/// are lower-case snake case; keys such as room names (`rooms["Curie"]`) are quoted.
pub(crate) fn json_key(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    match (parent.is_empty(), plain) {
        (true, true) => key.to_owned(),
        (false, true) => format!("{parent}.{key}"),
        (_, false) => format!("{parent}[{key:?}]"),
    }
}

/// `parent[index]`.
pub(crate) fn json_index(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

/// A JSON value that may be a string or, in schedule2 exports, an object of translations
/// (`{"en": "...", "de": "..."}`). Any other value reads as nothing.
#[derive(Debug, Default)]
pub(crate) struct Localized(pub(crate) Option<String>);

impl<'de> Deserialize<'de> for Localized {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(Localized(match value {
            serde_json::Value::String(text) => Some(text),
            serde_json::Value::Object(translations) => {
                // English first, as the language a mixed audience most often shares; then any.
                let pick = translations
                    .get("en")
                    .and_then(serde_json::Value::as_str)
                    .or_else(|| translations.values().find_map(serde_json::Value::as_str));
                pick.map(str::to_owned)
            }
            _ => None,
        }))
    }
}

/// A JSON object read as its entries in file order (frab files key rooms by name, and the
/// order is the order the organisers chose).
pub(crate) struct OrderedMap<V>(pub(crate) Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedMapVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for OrderedMapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, V>()? {
                    entries.push(entry);
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(OrderedMapVisitor(std::marker::PhantomData))
    }
}

/// An identifier written as a number or as a string; either way kept as text.
pub(crate) struct IdText(pub(crate) String);

impl<'de> Deserialize<'de> for IdText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl serde::de::Visitor<'_> for IdVisitor {
            type Value = IdText;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a number or a string")
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<IdText, E> {
                Ok(IdText(value.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<IdText, E> {
                Ok(IdText(value.to_string()))
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<IdText, E> {
                Ok(IdText(value.to_owned()))
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keys_are_quoted_when_they_are_not_names() {
        assert_eq!(
            json_key("days[2].rooms", "Saal 1"),
            "days[2].rooms[\"Saal 1\"]"
        );
        assert_eq!(json_key("", "schedule"), "schedule");
        assert_eq!(json_key("schedule", "conference"), "schedule.conference");
        assert_eq!(
            json_key("days[0].rooms", "Curie"),
            "days[0].rooms[\"Curie\"]"
        );
    }
}
