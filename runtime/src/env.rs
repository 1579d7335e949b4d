//! Reading a required environment variable for the runnable examples and applications built
//! from them. The clients themselves never read the environment: an application decides where
//! its connection string or token comes from.

use std::ffi::OsString;
use std::fmt;

/// The value of the environment variable `name`, or an error that names the variable (and
/// never shows a value, which may be a secret).
pub fn required_var(name: &str) -> Result<String, MissingVariable> {
    required_var_from(name, std::env::var_os(name))
}

/// [`required_var`] on a value already read, so the rule is testable without changing the
/// process environment.
fn required_var_from(name: &str, value: Option<OsString>) -> Result<String, MissingVariable> {
    match value {
        Some(value) => value
            .into_string()
            .map_err(|_| MissingVariable { name: name.to_owned(), reason: Reason::NotUnicode }),
        None => Err(MissingVariable { name: name.to_owned(), reason: Reason::Unset }),
    }
}

/// A required environment variable that is unset or not Unicode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingVariable {
    name: String,
    reason: Reason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reason {
    Unset,
    NotUnicode,
}

impl MissingVariable {
    /// The name of the variable.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for MissingVariable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason {
            Reason::Unset => write!(f, "missing environment variable {}", self.name),
            Reason::NotUnicode => {
                write!(f, "environment variable {} is not valid Unicode", self.name)
            }
        }
    }
}

impl std::error::Error for MissingVariable {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unset_variable_is_named() {
        let error = required_var_from("COMMUNICATION_CONNECTION_STRING", None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "missing environment variable COMMUNICATION_CONNECTION_STRING"
        );
        assert_eq!(error.name(), "COMMUNICATION_CONNECTION_STRING");
    }

    #[test]
    fn a_set_variable_is_its_value() {
        let value = required_var_from("X", Some(OsString::from("endpoint=https://a/;accesskey=k")));
        assert_eq!(value.unwrap(), "endpoint=https://a/;accesskey=k");
    }

    #[cfg(unix)]
    #[test]
    fn a_value_that_is_not_unicode_is_not_shown() {
        use std::os::unix::ffi::OsStringExt;
        let value = OsString::from_vec(vec![b's', b'e', b'c', 0xff]);
        let error = required_var_from("COMMUNICATION_USER_TOKEN", Some(value)).unwrap_err();
        let text = error.to_string();
        assert_eq!(text, "environment variable COMMUNICATION_USER_TOKEN is not valid Unicode");
        assert!(!format!("{error:?}").contains("sec"));
    }

    #[test]
    fn the_process_environment_is_read() {
        // PATH is set in any environment cargo runs tests in; a name nobody sets is unset.
        assert!(required_var("PATH").is_ok());
        let error = required_var("AZURE_COMMUNICATION_UNSET_VARIABLE_FOR_TESTS").unwrap_err();
        assert_eq!(
            error.to_string(),
            "missing environment variable AZURE_COMMUNICATION_UNSET_VARIABLE_FOR_TESTS"
        );
    }
}
