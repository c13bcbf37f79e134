//! The built-in lifecycles: scenario files compiled into the binary, one folder per provider
//! (`src/scenario/builtin/<provider>/<name>.toml`), written in the same format as users' own.

use super::{Scenario, parse};

/// A built-in scenario: its provider, its name and its TOML text.
#[derive(Debug)]
pub struct Builtin {
    /// The provider's command-line name, such as `ekdsend`.
    pub provider: &'static str,
    /// The lifecycle's name, such as `email-engaged`.
    pub name: &'static str,
    /// The TOML text, as `scenario show` prints it.
    pub text: &'static str,
}

/// One table row: `builtin!("ekdsend", "email-engaged")`.
macro_rules! builtin {
    ($provider:literal, $name:literal) => {
        Builtin {
            provider: $provider,
            name: $name,
            text: include_str!(concat!("builtin/", $provider, "/", $name, ".toml")),
        }
    };
}

/// Every built-in, grouped by provider in the catalog's order.
pub static ALL: &[Builtin] = &[
    builtin!("ekdsend", "email-engaged"),
    builtin!("ekdsend", "email-bounced"),
    builtin!("ekdsend", "email-complained"),
    builtin!("ekdsend", "sms-delivered"),
    builtin!("ekdsend", "sms-failed"),
    builtin!("ekdsend", "sms-inbound"),
    builtin!("ekdsend", "call-completed"),
    builtin!("ekdsend", "call-busy"),
    builtin!("ekdsend", "call-no-answer"),
    builtin!("keplars", "email-engaged"),
    builtin!("keplars", "email-bounced"),
    builtin!("keplars", "email-complained"),
    builtin!("twilio", "sms-delivered"),
    builtin!("twilio", "sms-failed"),
    builtin!("twilio", "sms-inbound"),
    builtin!("twilio", "call-completed"),
    builtin!("twilio", "call-busy"),
    builtin!("twilio", "call-no-answer"),
    builtin!("plivo", "sms-delivered"),
    builtin!("plivo", "sms-failed"),
    builtin!("plivo", "sms-inbound"),
    builtin!("plivo", "call-completed"),
    builtin!("plivo", "call-busy"),
    builtin!("plivo", "call-no-answer"),
    builtin!("resend", "email-engaged"),
    builtin!("resend", "email-bounced"),
    builtin!("resend", "email-complained"),
    builtin!("vonage", "sms-delivered"),
    builtin!("vonage", "sms-failed"),
    builtin!("vonage", "sms-inbound"),
    builtin!("vonage", "call-completed"),
    builtin!("vonage", "call-busy"),
    builtin!("vonage", "call-no-answer"),
    builtin!("mailgun", "email-engaged"),
    builtin!("mailgun", "email-bounced"),
    builtin!("mailgun", "email-complained"),
    builtin!("postmark", "email-engaged"),
    builtin!("postmark", "email-bounced"),
    builtin!("postmark", "email-complained"),
    builtin!("sendgrid", "email-engaged"),
    builtin!("sendgrid", "email-bounced"),
    builtin!("sendgrid", "email-complained"),
    builtin!("telnyx", "sms-delivered"),
    builtin!("telnyx", "sms-failed"),
    builtin!("telnyx", "sms-inbound"),
    builtin!("telnyx", "call-completed"),
    builtin!("telnyx", "call-busy"),
    builtin!("telnyx", "call-no-answer"),
];

/// The built-in `name` of `provider`.
pub fn find(provider: &str, name: &str) -> Option<&'static Builtin> {
    ALL.iter()
        .find(|b| b.provider == provider && b.name.eq_ignore_ascii_case(name))
}

/// The built-ins of `provider`, in table order.
pub fn of(provider: &str) -> impl Iterator<Item = &'static Builtin> {
    ALL.iter().filter(move |b| b.provider == provider)
}

impl Builtin {
    /// Its parsed scenario (the built-ins are checked by tests, so this cannot fail).
    pub fn scenario(&self) -> Scenario {
        parse(self.text, &self.origin()).expect("built-in scenarios are checked by tests")
    }

    /// `built-in PROVIDER/NAME`, as messages name it.
    pub fn origin(&self) -> String {
        format!("built-in {}/{}", self.provider, self.name)
    }

    /// Its one-line description.
    pub fn description(&self) -> String {
        self.scenario().description.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers;

    #[test]
    fn every_builtin_plans_for_its_provider_with_increasing_times_and_own_event_ids() {
        for builtin in ALL {
            let scenario = builtin.scenario();
            let provider = scenario.provider(None).unwrap();
            assert_eq!(provider.name, builtin.provider, "{}", builtin.origin());
            assert!(!builtin.description().is_empty(), "{}", builtin.origin());
            let now = jiff::Timestamp::now();
            let steps = scenario
                .plan(provider, now, &|_| None)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(steps.last().unwrap().at, now);
            for pair in steps.windows(2) {
                assert!(pair[0].at < pair[1].at, "{}", builtin.origin());
                assert_ne!(pair[0].id, pair[1].id, "{}", builtin.origin());
            }
        }
        assert!(providers::by_name("ekdsend").is_some());
    }

    #[test]
    fn names_are_unique_per_provider() {
        for (i, a) in ALL.iter().enumerate() {
            assert!(
                !ALL[..i]
                    .iter()
                    .any(|b| b.provider == a.provider && b.name == a.name),
                "{}",
                a.origin()
            );
        }
    }
}
