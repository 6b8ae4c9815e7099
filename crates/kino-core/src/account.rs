//! Parsed account fields: a handle, a password, a birth date and a region. Handlers take these
//! types, never raw strings, so every rule lives here once and the studio checks with the
//! same code before it sends.

use std::fmt;

use serde::{Deserialize, Serialize};

/// `@name` shown on a profile: 3 to 24 lower-case letters, digits or underscores.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Handle(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandleError {
    #[error("handle must be 3 to 24 characters long")]
    Length,
    #[error("handle may use only letters a-z, digits and _")]
    Characters,
}

impl Handle {
    pub fn parse(raw: &str) -> Result<Self, HandleError> {
        let handle = raw.trim().trim_start_matches('@').to_lowercase();
        if !(3..=24).contains(&handle.chars().count()) {
            return Err(HandleError::Length);
        }
        if !handle.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            return Err(HandleError::Characters);
        }
        Ok(Self(handle))
    }
}

crate::parsed_string!(Handle, HandleError);

/// A new password: 10 to 256 characters. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Password(String);

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password must be at least {PASSWORD_MIN} characters long")]
    TooShort,
    #[error("password must be at most {PASSWORD_MAX} characters long")]
    TooLong,
}

impl Password {
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        let length = raw.chars().count();
        if length < PASSWORD_MIN {
            return Err(PasswordError::TooShort);
        }
        if length > PASSWORD_MAX {
            return Err(PasswordError::TooLong);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Password {
    type Error = PasswordError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Serialising a password is only ever done by the studio, to send it.
impl Serialize for Password {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("date must be written YYYY-MM-DD")]
    Format,
    #[error("there is no such day")]
    NoSuchDay,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, DateError> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(DateError::NoSuchDay),
        };
        if day == 0 || day > days_in_month {
            return Err(DateError::NoSuchDay);
        }
        Ok(Self { year, month, day })
    }

    pub fn parse(raw: &str) -> Result<Self, DateError> {
        let raw = raw.trim();
        let bytes = raw.as_bytes();
        let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
            return Err(DateError::Format);
        }
        let number = |range: std::ops::Range<usize>| raw[range].parse::<i32>().map_err(|_| DateError::Format);
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        Self::new(year, month as u8, day as u8)
    }

    /// Whole years from `self` (a birth date) to `today`.
    pub fn years_until(self, today: Date) -> i32 {
        let had_birthday = (today.month, today.day) >= (self.month, self.day);
        today.year - self.year - i32::from(!had_birthday)
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Date> for String {
    fn from(date: Date) -> Self {
        date.to_string()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The youngest age at which people may have an account.
pub const MINIMUM_AGE: i32 = 13;
/// From this age on the adult rules apply.
pub const ADULT_AGE: i32 = 18;

/// Which rules apply to an account: teens get stricter limits and parental controls.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    Teen,
    Adult,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgeError {
    #[error("Kino is for people aged {MINIMUM_AGE} and older")]
    TooYoung,
    #[error("birth date is in the future")]
    Future,
}

impl AgeBand {
    pub fn of(birth_date: Date, today: Date) -> Result<Self, AgeError> {
        if birth_date > today {
            return Err(AgeError::Future);
        }
        match birth_date.years_until(today) {
            age if age < MINIMUM_AGE => Err(AgeError::TooYoung),
            age if age < ADULT_AGE => Ok(Self::Teen),
            _ => Ok(Self::Adult),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Teen => "teen",
            Self::Adult => "adult",
        }
    }
}

/// An ISO 3166-1 alpha-2 region code such as `DE` or `US`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Region(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("region must be a two-letter country code such as US or DE")]
pub struct RegionError;

impl Region {
    pub fn parse(raw: &str) -> Result<Self, RegionError> {
        let code = raw.trim().to_ascii_uppercase();
        if code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()) { Ok(Self(code)) } else { Err(RegionError) }
    }
}

crate::parsed_string!(Region, RegionError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles() {
        assert_eq!(Handle::parse("@Ada_99").unwrap().as_str(), "ada_99");
        assert_eq!(Handle::parse("ab"), Err(HandleError::Length));
        assert_eq!(Handle::parse(&"a".repeat(25)), Err(HandleError::Length));
        assert_eq!(Handle::parse("ada lovelace"), Err(HandleError::Characters));
        assert_eq!(Handle::parse("adä"), Err(HandleError::Characters));
    }

    #[test]
    fn passwords_are_bounded_and_never_printed() {
        assert_eq!(Password::parse("short"), Err(PasswordError::TooShort));
        assert_eq!(Password::parse(&"x".repeat(257)), Err(PasswordError::TooLong));
        let password = Password::parse("correct horse battery").unwrap();
        assert_eq!(format!("{password:?}"), "Password(***)");
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(Date::parse("2008-02-29").unwrap(), Date { year: 2008, month: 2, day: 29 });
        assert_eq!(Date::parse("2007-02-29"), Err(DateError::NoSuchDay));
        assert_eq!(Date::parse("2007-13-01"), Err(DateError::NoSuchDay));
        for bad in ["2007-1-01", "07-01-01", "2007/01/01", "", "abcd-ef-gh"] {
            assert_eq!(Date::parse(bad), Err(DateError::Format), "{bad}");
        }
        assert_eq!(Date::parse("2000-01-02").unwrap().to_string(), "2000-01-02");
    }

    #[test]
    fn age_bands_turn_on_the_birthday() {
        let today = Date::parse("2026-11-22").unwrap();
        let band = |birth: &str| AgeBand::of(Date::parse(birth).unwrap(), today);
        assert_eq!(band("2008-11-22"), Ok(AgeBand::Adult));
        assert_eq!(band("2008-11-23"), Ok(AgeBand::Teen));
        assert_eq!(band("2013-11-22"), Ok(AgeBand::Teen));
        assert_eq!(band("2013-11-23"), Err(AgeError::TooYoung));
        assert_eq!(band("2027-01-01"), Err(AgeError::Future));
    }

    #[test]
    fn regions() {
        assert_eq!(Region::parse(" de ").unwrap().as_str(), "DE");
        assert_eq!(Region::parse("DEU"), Err(RegionError));
        assert_eq!(Region::parse("D1"), Err(RegionError));
    }
}
