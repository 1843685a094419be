//! Importing spreadsheets into the books: what can be imported
//! ([`catalog`]), how a file's headers are matched to fields
//! ([`automap`]), how a cell's text is read ([`values`]) and an import's
//! life ([`status`]). The service reads the file, resolves names and
//! creates each entity through the same use cases as the API.

pub mod automap;
pub mod catalog;
pub mod status;
pub mod values;

pub use catalog::{Entity, Field, FieldType, Slot, Target, entities, entity};
pub use status::{ImportAction, ImportStatus, WrongImportStatus};
