//! `counterctl enrol` and `counterctl register certificate`: this
//! workstation's certificate for the register, through the core's
//! `enrolment` functions (the same the app uses), and the simulator's TLS
//! flags.

use crate::cli::{EnrolArgs, SimArgs};
use crate::commands::{fail, print_json};
use crate::exit::Exit;
use passport_counter_core::config::Resolved;
use passport_counter_core::enrolment::{self, EnrolmentError, EnrolmentInput};
use passport_register_client::CertificateInfo;
use std::io::{BufRead, Read};

/// The longest password line read from standard input.
const MAX_PASSWORD_LINE: u64 = 1024;

fn exit_for(e: &EnrolmentError) -> Exit {
    match e {
        EnrolmentError::Config(_) | EnrolmentError::Tls(_) | EnrolmentError::Client(_) => {
            Exit::Config
        }
        EnrolmentError::BadCode | EnrolmentError::TooLong { .. } => Exit::InvalidInput,
        EnrolmentError::CodeRefused
        | EnrolmentError::NotSupervisor
        | EnrolmentError::Refused { .. }
        | EnrolmentError::BadAnswer(_) => Exit::CheckFailed,
        EnrolmentError::RegisterUntrusted | EnrolmentError::Offline(_) => Exit::Offline,
        EnrolmentError::Write { .. } => Exit::Storage,
    }
}

/// The supervisor's password: the first line of standard input (never an
/// argument, which other accounts on the machine could read in the
/// process list).
fn read_password() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .take(MAX_PASSWORD_LINE)
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the supervisor's password from standard input: {e}"))?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(
            "the supervisor's password is read from standard input (one line): none was given"
                .into(),
        );
    }
    Ok(password)
}

fn state(info: &CertificateInfo) -> &'static str {
    match info.validity_at(chrono::Utc::now()) {
        Ok(()) => "valid",
        Err(p) => p.as_str(),
    }
}

fn show(info: &CertificateInfo, as_json: bool) {
    if as_json {
        print_json(&serde_json::json!({
            "subject": info.subject,
            "issuer": info.issuer,
            "serial": info.serial,
            "not_before": info.not_before.to_rfc3339(),
            "not_after": info.not_after.to_rfc3339(),
            "state": state(info),
        }));
    } else {
        println!("subject:    {}", info.subject);
        println!("issuer:     {}", info.issuer);
        println!("serial:     {}", info.serial);
        println!("valid from: {}", info.not_before.to_rfc3339());
        println!("valid to:   {}", info.not_after.to_rfc3339());
        println!("state:      {}", state(info));
    }
}

/// `counterctl enrol --code CODE --supervisor ID` (password on stdin).
pub async fn enrol(cfg: &Resolved, args: &EnrolArgs) -> Exit {
    let password = match read_password() {
        Ok(p) => p,
        Err(why) => return fail(Exit::InvalidInput, &why),
    };
    let input = EnrolmentInput {
        code: args.code.clone(),
        supervisor_id: args.supervisor.clone(),
        supervisor_password: password,
    };
    match enrolment::enrol(cfg, &input).await {
        Ok(info) => {
            if !args.json.json {
                println!(
                    "Stanowisko zarejestrowane / workstation enrolled; its key and certificate are in {}",
                    cfg.register_identity_dir().display()
                );
                println!("Restart the counter so that it uses the new certificate.");
            }
            show(&info, args.json.json);
            Exit::Ok
        }
        Err(e) => fail(exit_for(&e), &e.to_string()),
    }
}

/// `counterctl register certificate`: exit 0 for a certificate in its
/// validity, 1 for one expired or not valid yet, 5 when not enrolled.
pub fn certificate(cfg: &Resolved, as_json: bool) -> Exit {
    match enrolment::certificate(cfg) {
        Ok(Some(info)) => {
            show(&info, as_json);
            if info.validity_at(chrono::Utc::now()).is_ok() {
                Exit::Ok
            } else {
                Exit::CheckFailed
            }
        }
        Ok(None) => fail(
            Exit::Config,
            &format!(
                "this workstation is not enrolled (no certificate in {}): a supervisor runs \
                 `counterctl enrol --code CODE --supervisor ID`",
                cfg.register_identity_dir().display()
            ),
        ),
        Err(e) => fail(exit_for(&e), &e.to_string()),
    }
}

/// The simulator's TLS settings from `counterctl register-sim`'s flags, and
/// the enrolment codes to print: `None` without `--tls-ca-dir`.
pub fn sim_tls(args: &SimArgs) -> Option<passport_register_sim::tls::TlsSettings> {
    let ca_dir = args.tls_ca_dir.clone()?;
    let enrolment_codes = if args.enrolment_code.is_empty() {
        vec![passport_register_sim::tls::new_enrolment_code()]
    } else {
        args.enrolment_code.clone()
    };
    Some(passport_register_sim::tls::TlsSettings {
        ca_dir: Some(ca_dir),
        enrolment_codes,
        certificate_days: args.certificate_days,
        server_names: args.tls_name.clone(),
    })
}
