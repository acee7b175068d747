//! The command line's help in the reader's language: every subcommand's and
//! argument's help, the section headings and the usage line come from the message
//! files (`cli-…` ids), so `--help` speaks the language the messages do.

use clap::Command;
use gongkai::i18n::message;

/// The message id of an argument's help: `cli-global-ID` for arguments every
/// subcommand takes, `cli-help`/`cli-version` for clap's own, else `cli-COMMAND-ID`.
pub fn arg_message_id(command: &str, arg: &clap::Arg) -> String {
    let id = arg.get_id().as_str();
    if id == "help" || id == "version" {
        format!("cli-{id}")
    } else if arg.is_global_set() {
        format!("cli-global-{id}")
    } else {
        format!("cli-{command}-{id}")
    }
}

/// The message id of a command's description.
pub fn about_message_id(command: &str) -> String {
    format!("cli-{command}")
}

/// The command with every text in the reader's language.
pub fn localized(mut command: Command) -> Command {
    command.build();
    localize(command, "gongkai")
}

fn localize(command: Command, name: &str) -> Command {
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{}\n\n{{all-args}}{{after-help}}",
        message("cli-usage", &[])
    );
    let command = command
        .about(message(&about_message_id(name), &[]))
        .help_template(template)
        .subcommand_help_heading(message("cli-commands", &[]))
        .mut_args(|arg| {
            let heading = if arg.is_positional() {
                "cli-arguments"
            } else {
                "cli-options"
            };
            let mut help = message(&arg_message_id(name, &arg), &[]);
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_string())
                .collect();
            if !values.is_empty() {
                let values = values.join(", ");
                help.push_str(&message("cli-values", &[("values", values.into())]));
            }
            let defaults: Vec<String> = arg
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty() && arg.get_action().takes_values() {
                let value = defaults.join(", ");
                help.push_str(&message("cli-default", &[("value", value.into())]));
            }
            arg.clone()
                .help(help)
                .help_heading(message(heading, &[]))
                .hide_default_value(true)
                .hide_possible_values(true)
        });
    command.mut_subcommands(|sub| {
        let sub_name = sub.get_name().to_string();
        localize(sub, &sub_name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use gongkai::i18n::{EN, ZH, message_ids};

    /// Every id the help asks for, for a command and its subcommands.
    fn ids(command: &Command, name: &str, out: &mut Vec<String>) {
        out.push(about_message_id(name));
        for arg in command.get_arguments() {
            out.push(arg_message_id(name, arg));
        }
        for sub in command.get_subcommands() {
            ids(sub, sub.get_name(), out);
        }
    }

    #[test]
    fn every_help_text_exists_in_both_languages() {
        let mut command = crate::Cli::command();
        command.build();
        let mut wanted = vec![
            "cli-usage".to_string(),
            "cli-commands".into(),
            "cli-options".into(),
            "cli-arguments".into(),
        ];
        ids(&command, "gongkai", &mut wanted);
        let (en, zh) = (message_ids(EN), message_ids(ZH));
        let missing: Vec<&String> = wanted
            .iter()
            .filter(|id| !en.contains(id) || !zh.contains(id))
            .collect();
        assert!(missing.is_empty(), "no help text for {missing:?}");
    }
}
