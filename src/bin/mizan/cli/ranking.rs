//! `--penalty KEY=POINTS`, shared by the commands that rank matches (`match`, `analyze`,
//! `pretranslate`, `translate`): parsed once into the library's [`Penalties`].
use super::UsageError;
use mizan::tm::rank::Penalties;

/// How matches are ranked.
#[derive(Debug, Clone, clap::Args)]
pub struct PenaltyArgs {
    /// Points taken off a match's score, KEY=POINTS, repeatable: unreviewed [5], align [1], human,
    /// import, tmx [0], multiple [1] (the source is stored with other translations too); `none`
    /// for no penalties. `--min` and `--top` apply to the score after penalties.
    #[arg(long = "penalty", value_name = "KEY=POINTS")]
    penalty: Vec<String>,
}

impl PenaltyArgs {
    /// The defaults with every `--penalty` applied in order.
    ///
    /// # Errors
    /// A [`UsageError`] naming the bad setting.
    pub fn penalties(&self) -> Result<Penalties, UsageError> {
        let mut p = Penalties::default();
        for setting in &self.penalty {
            p.set(setting).map_err(|e| UsageError(format!("--penalty: {e}")))?;
        }
        Ok(p)
    }
}
