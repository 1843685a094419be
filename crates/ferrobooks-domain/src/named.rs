//! Enums whose values have names in the API (`monthly`, `paid_off`):
//! [`named_enum!`] writes `ALL`, `as_str`, `parse` (an error listing the
//! names there are) and `Display` from one table.

/// `named_enum!(/// doc \n pub enum Frequency "a repayment frequency" { Monthly = "monthly", ... })`.
#[macro_export]
macro_rules! named_enum {
    ($(#[$doc:meta])* pub enum $name:ident $what:literal { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// The value `s` names, if it names one.
            pub fn from_name(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|x| x.as_str() == s)
            }

            /// The value `s` names, or an error on `field` listing the names.
            pub fn parse(field: &str, s: &str) -> Result<$name, $crate::DomainError> {
                Self::from_name(s).ok_or_else(|| {
                    $crate::DomainError::invalid(
                        field,
                        format!(
                            "'{s}' is not {}: use {}",
                            $what,
                            Self::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    )
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
