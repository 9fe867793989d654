//! `counterctl register-sim --help` is the simulator's manual: every fault
//! setting `POST /admin/faults` takes is either a flag of its own or named in
//! the command's long help, so none is set only by those who read the code.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_register_sim::Faults;

/// The CLI's source: the manual's text and its flags live there.
const CLI: &str = include_str!("../../counterctl/src/cli.rs");

/// The `long_about` of the `RegisterSim` command.
fn register_sim_long_about() -> &'static str {
    let before = CLI.find("RegisterSim(SimArgs)").unwrap();
    let start = CLI[..before].rfind("long_about = \"").unwrap();
    let text = &CLI[start..before];
    &text[..text.find("after_help").unwrap_or(text.len())]
}

#[test]
fn every_fault_setting_is_a_flag_or_in_the_long_help() {
    let flags_start = CLI.find("pub struct SimArgs").unwrap();
    let flags = &CLI[flags_start..];
    let flags = &flags[..flags.find("\n}").unwrap()];
    let about = register_sim_long_about();
    let faults = serde_json::to_value(Faults::default()).unwrap();
    for key in faults.as_object().unwrap().keys() {
        let is_flag = flags.contains(&format!("pub {key}:"));
        assert!(
            is_flag || about.contains(key.as_str()),
            "{key} is neither a flag nor mentioned in `counterctl register-sim --help`"
        );
    }
}
