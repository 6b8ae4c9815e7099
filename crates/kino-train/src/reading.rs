//! The teacher's object reading loss (`kino-train teacher --object-reading W`): from the middle
//! block's video tokens, an auxiliary head names what object each token shows, its kind and its
//! colour, or none. At noisy times the noisy latents still show where an object is but no longer
//! its colour, which only the caption tells: the head can name it only if the first half of the
//! network has put the prompt's object, in its colour, at the object's place. The flow loss asks
//! for the same binding, but an object is a few cells of hundreds, so it teaches it slowly.
//!
//! Classes, in the head's logits: kind (none, then [`ObjectKind::ALL`]) and colour (none, then
//! [`Colour::ALL`]).

use burn::tensor::activation::log_softmax;
use burn::tensor::{Device, Tensor, TensorData};
use kino_core::scene::{Colour, ObjectKind};
use kino_world::Clip;

/// Kind classes: none and each kind.
pub const KINDS: usize = 1 + ObjectKind::ALL.len();
/// Colour classes: none and each colour.
pub const COLOURS: usize = 1 + Colour::ALL.len();
/// The head's logits: kinds, then colours.
pub const CLASSES: usize = KINDS + COLOURS;

/// Box area (pixels, summed over a token's frames) an object must cover in a token for the
/// token to show it: a quarter of a 6-pixel ball's box in each of the 4 frames.
const MIN_OVERLAP: f32 = 36.0;

/// What each video token shows: the object covering most of its pixels over its frames, if it
/// covers at least [`MIN_OVERLAP`].
#[derive(Debug, Clone, PartialEq)]
pub struct TokenObjects {
    /// Per clip and token (in `patchify_video`'s order: latent frame, row, column), the kind
    /// class and colour class (0: no object).
    pub classes: Vec<[usize; 2]>,
    pub clips: usize,
    pub tokens: usize,
}

impl TokenObjects {
    /// `grid`: video tokens `[latent frames, rows, columns]`, each `frames` video frames of a
    /// `pixels`-wide square.
    pub fn of(clips: &[Clip], grid: [usize; 3], frames: usize, pixels: usize) -> TokenObjects {
        let [t, h, w] = grid;
        let mut classes = Vec::with_capacity(clips.len() * t * h * w);
        for clip in clips {
            let objects = &clip.scene.objects;
            for k in 0..t {
                for i in 0..h {
                    for j in 0..w {
                        let square = [(j * pixels) as f32, (i * pixels) as f32, ((j + 1) * pixels) as f32, ((i + 1) * pixels) as f32];
                        let mut covered = vec![0.0f32; objects.len()];
                        for label in clip.labels.frames.iter().skip(k * frames).take(frames) {
                            for b in label.objects.iter().filter(|b| b.visible && b.object < objects.len()) {
                                covered[b.object] += overlap(b.bbox, square);
                            }
                        }
                        let best = covered.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).filter(|(_, area)| **area >= MIN_OVERLAP);
                        classes.push(match best {
                            Some((o, _)) => [class_of(&ObjectKind::ALL, objects[o].kind), class_of(&Colour::ALL, objects[o].colour)],
                            None => [0, 0],
                        });
                    }
                }
            }
        }
        TokenObjects { classes, clips: clips.len(), tokens: t * h * w }
    }

    /// One-hot targets `[clips, tokens, CLASSES]` and token weights `[clips, tokens]`: the
    /// tokens that show an object weigh half the loss and the rest the other half, so the few
    /// object tokens are not drowned.
    fn targets(&self, device: &Device) -> (Tensor<3>, Tensor<2>) {
        let mut onehot = vec![0.0f32; self.classes.len() * CLASSES];
        for (n, [kind, colour]) in self.classes.iter().enumerate() {
            onehot[n * CLASSES + kind] = 1.0;
            onehot[n * CLASSES + KINDS + colour] = 1.0;
        }
        let shown = self.classes.iter().filter(|c| c[0] > 0).count();
        let (shown_weight, empty_weight) = balanced_weights(shown, self.classes.len() - shown);
        let weights: Vec<f32> = self.classes.iter().map(|c| if c[0] > 0 { shown_weight } else { empty_weight }).collect();
        (
            Tensor::from_data(TensorData::new(onehot, [self.clips, self.tokens, CLASSES]), device),
            Tensor::from_data(TensorData::new(weights, [self.clips, self.tokens]), device),
        )
    }
}

/// Weights per object token and per empty token so that each group sums to a half (all of it
/// when the other group is empty).
fn balanced_weights(shown: usize, empty: usize) -> (f32, f32) {
    let half = if shown > 0 && empty > 0 { 0.5 } else { 1.0 };
    (half / shown.max(1) as f32, half / empty.max(1) as f32)
}

fn class_of<T: PartialEq>(all: &[T], x: T) -> usize {
    1 + all.iter().position(|a| *a == x).unwrap_or(0)
}

/// Area of the intersection of boxes `[x0, y0, x1, y1]`.
fn overlap(a: [f32; 4], b: [f32; 4]) -> f32 {
    let w = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
    let h = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    w * h
}

/// The reading loss of `logits` `[clips, tokens, CLASSES]`: the cross-entropy of the kind and
/// of the colour, weighted as [`TokenObjects::targets`] says.
pub fn reading_loss(logits: Tensor<3>, objects: &TokenObjects) -> Tensor<1> {
    let device = logits.device();
    let (onehot, weights) = objects.targets(&device);
    let [b, n, _] = logits.dims();
    let log_p = Tensor::cat(vec![log_softmax(logits.clone().narrow(2, 0, KINDS), 2), log_softmax(logits.narrow(2, KINDS, COLOURS), 2)], 2);
    let nll = (log_p * onehot).sum_dim(2).neg().reshape([b, n]); // kind + colour, per token
    (nll * weights).sum().reshape([1])
}

/// Over the tokens that show an object, the share whose kind and whose colour the head names
/// right: `[kind, colour]`, or `None` with no such token.
pub fn reading_accuracy(logits: Tensor<3>, objects: &TokenObjects) -> Option<[f64; 2]> {
    let kinds = logits.clone().narrow(2, 0, KINDS).argmax(2).into_data().iter::<i64>().collect::<Vec<_>>();
    let colours = logits.narrow(2, KINDS, COLOURS).argmax(2).into_data().iter::<i64>().collect::<Vec<_>>();
    let shown: Vec<usize> = (0..objects.classes.len()).filter(|&n| objects.classes[n][0] > 0).collect();
    if shown.is_empty() {
        return None;
    }
    let share = |guess: &[i64], which: usize| shown.iter().filter(|&&n| guess[n] as usize == objects.classes[n][which]).count() as f64 / shown.len() as f64;
    Some([share(&kinds, 0), share(&colours, 1)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ball_clip() -> Clip {
        let scene: kino_core::scene::Scene = serde_json::from_str(
            r#"{"seed":1,"setting":"gym","style":"flat_cartoon","objects":[{"kind":"ball","colour":"blue","size":"medium","material":"rubber","position":[-0.8,1.2],"velocity":[0.8,0]}],"fixtures":[{"floor":{"material":"wood"}}],"shots":[{"duration_s":2,"camera":{"framing":"medium","follow":0}}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        kino_world::render_clip(&scene, &crate::data::settings()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn tokens_under_the_ball_name_it_and_its_colour_and_the_rest_name_nothing() {
        let clip = ball_clip();
        let objects = TokenObjects::of(std::slice::from_ref(&clip), [6, 4, 4], 4, 16);
        assert_eq!((objects.clips, objects.tokens, objects.classes.len()), (1, 96, 96));
        let blue = class_of(&Colour::ALL, Colour::Blue);
        let shown: Vec<usize> = (0..96).filter(|&n| objects.classes[n] != [0, 0]).collect();
        assert!(!shown.is_empty() && shown.len() < 24, "a ball covers a few tokens: {shown:?}");
        assert!(shown.iter().all(|&n| objects.classes[n] == [1, blue]), "{:?}", objects.classes);
        // Each token that names the ball lies under its box in the token's first frame or after.
        for &n in &shown {
            let (k, i, j) = (n / 16, n % 16 / 4, n % 4);
            let square = [(j * 16) as f32, (i * 16) as f32, (j * 16 + 16) as f32, (i * 16 + 16) as f32];
            let covered: f32 = clip.labels.frames[k * 4..k * 4 + 4].iter().flat_map(|f| &f.objects).map(|b| overlap(b.bbox, square)).sum();
            assert!(covered >= MIN_OVERLAP, "token {n} covers {covered}");
        }
    }

    #[test]
    fn the_loss_is_lowest_for_logits_that_name_the_right_classes_and_they_read_fully_right() {
        let device = Device::flex();
        let objects = TokenObjects { classes: vec![[1, 5], [0, 0], [0, 0], [3, 2]], clips: 2, tokens: 2 };
        let logits_for = |classes: &[[usize; 2]]| {
            let mut data = vec![0.0f32; classes.len() * CLASSES];
            for (n, [k, c]) in classes.iter().enumerate() {
                data[n * CLASSES + k] = 8.0;
                data[n * CLASSES + KINDS + c] = 8.0;
            }
            Tensor::<3>::from_data(TensorData::new(data, [2, 2, CLASSES]), &device)
        };
        let right = logits_for(&objects.classes);
        let wrong = logits_for(&[[1, 5], [0, 0], [0, 0], [3, 4]]);
        let loss = |l: Tensor<3>| reading_loss(l, &objects).into_scalar::<f32>();
        assert!(loss(right.clone()) < 0.01 && loss(wrong.clone()) > 1.0, "{} {}", loss(right.clone()), loss(wrong.clone()));
        assert_eq!(reading_accuracy(right, &objects), Some([1.0, 1.0]));
        assert_eq!(reading_accuracy(wrong, &objects), Some([1.0, 0.5]));
        let empty = TokenObjects { classes: vec![[0, 0]; 4], clips: 2, tokens: 2 };
        assert_eq!(reading_accuracy(logits_for(&empty.classes), &empty), None);
    }

    #[test]
    fn object_and_empty_tokens_each_weigh_half_unless_one_group_is_missing() {
        assert_eq!(balanced_weights(2, 8), (0.25, 0.0625));
        assert_eq!(balanced_weights(0, 4), (1.0, 0.25));
        assert_eq!(balanced_weights(3, 0), (1.0 / 3.0, 1.0));
    }
}
