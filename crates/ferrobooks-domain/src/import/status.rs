//! An import's life: queued, running, ended one of four ways, and a
//! finished import taken back out of the books.
//!
//! ```text
//! SCHEDULED -> IN_PROGRESS -> FINISHED | FINISHED_WITH_WARNINGS | FAILED | CANCELED
//! FINISHED | FINISHED_WITH_WARNINGS -> REVERTING -> REVERTED
//! ```
//!
//! [`ImportStatus::after`] is the only way from one status to the next; a
//! move the status does not allow is a [`WrongImportStatus`].

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportStatus {
    Scheduled,
    InProgress,
    Finished,
    FinishedWithWarnings,
    Failed,
    Canceled,
    Reverting,
    Reverted,
}

/// What can happen to an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportAction {
    /// A worker takes it up.
    Start,
    /// Every row was read: how it went (any entity created, any row
    /// refused, any warning).
    Finish {
        created: bool,
        errors: bool,
        warnings: bool,
    },
    /// It could not run at all (an unreadable file, a mapping gone).
    Fail,
    /// The user asked to stop it.
    Cancel,
    /// The user asked to take it back out of the books.
    Revert,
    /// Everything it created is voided or deleted.
    Reverted,
}

/// A move the import's status does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an import that is {} cannot be {}", .status.as_str(), .action)]
pub struct WrongImportStatus {
    pub status: ImportStatus,
    pub action: &'static str,
}

impl ImportStatus {
    pub const ALL: &'static [ImportStatus] = &[
        ImportStatus::Scheduled,
        ImportStatus::InProgress,
        ImportStatus::Finished,
        ImportStatus::FinishedWithWarnings,
        ImportStatus::Failed,
        ImportStatus::Canceled,
        ImportStatus::Reverting,
        ImportStatus::Reverted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Scheduled => "SCHEDULED",
            ImportStatus::InProgress => "IN_PROGRESS",
            ImportStatus::Finished => "FINISHED",
            ImportStatus::FinishedWithWarnings => "FINISHED_WITH_WARNINGS",
            ImportStatus::Failed => "FAILED",
            ImportStatus::Canceled => "CANCELED",
            ImportStatus::Reverting => "REVERTING",
            ImportStatus::Reverted => "REVERTED",
        }
    }

    pub fn parse(s: &str) -> Option<ImportStatus> {
        Self::ALL.iter().copied().find(|x| x.as_str() == s)
    }

    /// Nothing more happens to it by itself.
    pub fn is_terminal(self) -> bool {
        !matches!(
            self,
            ImportStatus::Scheduled | ImportStatus::InProgress | ImportStatus::Reverting
        )
    }

    /// The status after `action`, or why not.
    pub fn after(self, action: ImportAction) -> Result<ImportStatus, WrongImportStatus> {
        use ImportStatus as S;
        let next = match (self, action) {
            (S::Scheduled, ImportAction::Start) => Some(S::InProgress),
            (
                S::InProgress,
                ImportAction::Finish {
                    created,
                    errors,
                    warnings,
                },
            ) => Some(if errors && !created {
                S::Failed
            } else if errors || warnings {
                // Some rows were refused: what succeeded stays (and can be
                // reverted), and the results say which rows need a look.
                S::FinishedWithWarnings
            } else {
                S::Finished
            }),
            (S::Scheduled | S::InProgress, ImportAction::Fail | ImportAction::Cancel) => {
                Some(if action == ImportAction::Cancel {
                    S::Canceled
                } else {
                    S::Failed
                })
            }
            (
                S::Finished | S::FinishedWithWarnings | S::Failed | S::Canceled,
                ImportAction::Revert,
            ) => Some(S::Reverting),
            (S::Reverting, ImportAction::Reverted) => Some(S::Reverted),
            _ => None,
        };
        next.ok_or(WrongImportStatus {
            status: self,
            action: action.verb(),
        })
    }
}

impl ImportAction {
    fn verb(self) -> &'static str {
        match self {
            ImportAction::Start => "started",
            ImportAction::Finish { .. } => "finished",
            ImportAction::Fail => "failed",
            ImportAction::Cancel => "canceled",
            ImportAction::Revert => "reverted",
            ImportAction::Reverted => "marked reverted",
        }
    }
}

impl fmt::Display for ImportStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifecycle() {
        let s = ImportStatus::Scheduled.after(ImportAction::Start).unwrap();
        assert_eq!(s, ImportStatus::InProgress);
        let done = s
            .after(ImportAction::Finish {
                created: true,
                errors: false,
                warnings: true,
            })
            .unwrap();
        assert_eq!(done, ImportStatus::FinishedWithWarnings);
        assert!(done.is_terminal());
        let r = done.after(ImportAction::Revert).unwrap();
        assert_eq!(r, ImportStatus::Reverting);
        assert!(!r.is_terminal());
        assert_eq!(
            r.after(ImportAction::Reverted).unwrap(),
            ImportStatus::Reverted
        );
        let finish = |created, errors, warnings| {
            ImportStatus::InProgress.after(ImportAction::Finish {
                created,
                errors,
                warnings,
            })
        };
        assert_eq!(finish(true, false, false), Ok(ImportStatus::Finished));
        assert_eq!(
            finish(true, true, false),
            Ok(ImportStatus::FinishedWithWarnings)
        );
        assert_eq!(finish(false, true, false), Ok(ImportStatus::Failed));
        // An empty file is an import of nothing, done.
        assert_eq!(finish(false, false, false), Ok(ImportStatus::Finished));
    }

    #[test]
    fn wrong_moves_are_refused_by_name() {
        let e = ImportStatus::Finished
            .after(ImportAction::Cancel)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "an import that is FINISHED cannot be canceled"
        );
        assert!(ImportStatus::Reverted.after(ImportAction::Revert).is_err());
        assert!(ImportStatus::Scheduled.after(ImportAction::Revert).is_err());
        assert!(ImportStatus::Canceled.after(ImportAction::Start).is_err());
        for s in ImportStatus::ALL {
            assert_eq!(ImportStatus::parse(s.as_str()), Some(*s));
        }
    }
}
