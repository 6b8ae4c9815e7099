//! An exponential moving average of a model's weights (`--ema`): diffusion models sample more
//! cleanly from the average of their last few hundred steps than from the last, noisy, step.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::tensor::Tensor;

/// The averaged weights and how many updates they have had.
pub struct Ema<M> {
    pub model: M,
    decay: f64,
    updates: usize,
    /// Whether the average started at random weights, which it then forgets faster at first.
    from_scratch: bool,
}

impl<M: Module + Clone> Ema<M> {
    /// An average starting at `model`'s weights (held in inference mode): random ones
    /// (`from_scratch`), or trained ones that the average may keep from the first update.
    pub fn new(model: &M, decay: f64, from_scratch: bool) -> Self {
        Ema { model: model.valid(), decay, updates: 0, from_scratch }
    }

    /// Continues an average saved with a checkpoint after `updates` updates.
    pub fn resume(model: M, decay: f64, updates: usize, from_scratch: bool) -> Self {
        Ema { model, decay, updates, from_scratch }
    }

    pub fn updates(&self) -> usize {
        self.updates
    }

    /// The weight the old average keeps: `--ema`, or less over the first updates of an
    /// average of a model trained from scratch, so its random start does not linger.
    fn current_decay(&self) -> f64 {
        let n = self.updates as f64;
        if self.from_scratch { self.decay.min((1.0 + n) / (10.0 + n)) } else { self.decay }
    }

    /// Moves the average toward `model`'s weights.
    pub fn update(&mut self, model: &M) -> anyhow::Result<()> {
        let mut latest = Flattened(Vec::new());
        model.valid().visit(&mut latest);
        let decay = self.current_decay();
        let mut blend = Blend { latest: latest.0.into_iter(), decay, unmatched: 0 };
        let averaged = self.model.clone().map(&mut blend);
        let unmatched = blend.unmatched + blend.latest.count();
        anyhow::ensure!(unmatched == 0, "the moving average and the model differ in {unmatched} parameters");
        self.model = averaged;
        self.updates += 1;
        Ok(())
    }
}

/// Every float parameter, flattened, in visiting order (two models of one structure visit
/// their parameters in the same order).
struct Flattened(Vec<Tensor<1>>);

impl ModuleVisitor for Flattened {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let value = param.val();
        let count = value.shape().num_elements();
        self.0.push(value.reshape([count]));
    }
}

/// `average * decay + latest * (1 - decay)`, parameter by parameter.
struct Blend<I> {
    latest: I,
    decay: f64,
    /// Parameters of the average the model had no counterpart for.
    unmatched: usize,
}

impl<I: Iterator<Item = Tensor<1>>> ModuleMapper for Blend<I> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let shape = param.shape();
        let Some(latest) = self.latest.next().filter(|latest| latest.dims()[0] == shape.num_elements()) else {
            self.unmatched += 1;
            return param;
        };
        let decay = self.decay;
        param.map(|average| average * decay + latest.reshape(shape) * (1.0 - decay))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use burn::nn::LinearConfig;
    use burn::tensor::Device;

    fn weights(model: &burn::nn::Linear) -> Vec<f32> {
        let mut all = Flattened(Vec::new());
        model.visit(&mut all);
        all.0.into_iter().flat_map(|t| t.into_data().try_to_vec::<f32>().unwrap()).collect()
    }

    #[test]
    fn the_average_moves_toward_the_model_by_one_minus_the_decay() {
        let device = Device::flex();
        let start = LinearConfig::new(3, 2).init(&device);
        let later = LinearConfig::new(3, 2).init(&device);
        // Past the warm-up the decay is the one asked for.
        let mut ema = Ema::resume(start.clone(), 0.9, 1000, true);
        ema.update(&later).unwrap();
        let (a, b, avg) = (weights(&start), weights(&later), weights(&ema.model));
        assert_eq!(avg.len(), a.len());
        for ((a, b), avg) in a.iter().zip(&b).zip(&avg) {
            assert!((avg - (0.9 * a + 0.1 * b)).abs() < 1e-6, "{avg} is not 0.9 * {a} + 0.1 * {b}");
        }
        assert_eq!(ema.updates(), 1001);
    }

    #[test]
    fn a_young_average_from_scratch_follows_the_model_more_closely() {
        let device = Device::flex();
        let start = LinearConfig::new(3, 2).init(&device);
        assert_eq!(Ema::new(&start, 0.999, false).current_decay(), 0.999);
        let mut ema = Ema::new(&start, 0.999, true);
        assert!((ema.current_decay() - 0.1).abs() < 1e-12);
        ema.updates = 10_000;
        assert_eq!(ema.current_decay(), 0.999);
        // Averaging a model with itself leaves it as it is.
        ema.update(&start).unwrap();
        // A model of another shape is refused and leaves the average as it was.
        assert!(ema.update(&LinearConfig::new(4, 2).init(&device)).is_err());
        assert!(ema.update(&LinearConfig::new(3, 2).with_bias(false).init(&device)).is_err());
        assert_eq!(ema.updates(), 10_001);
        for (a, b) in weights(&start).iter().zip(weights(&ema.model)) {
            assert!((a - b).abs() < 1e-6);
        }
    }
}
