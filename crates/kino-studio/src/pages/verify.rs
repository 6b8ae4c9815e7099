//! `/verify`: is this video from Kino? Checks a file's C2PA manifest, invisible watermark and
//! visible mark. The file is checked and then discarded, never stored.

use kino_core::api::VerifyResult;
use kino_core::media::C2paState;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;

#[derive(Debug, Clone, PartialEq)]
enum Check {
    Idle,
    Checking(String),
    Done(String, Box<VerifyResult>),
    Failed(String),
}

async fn read_file(file: web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|_| "the browser could not read the file".to_owned())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

#[function_component(VerifyPage)]
pub fn verify_page() -> Html {
    let check = use_state(|| Check::Idle);
    let onchange = {
        let check = check.clone();
        Callback::from(move |event: Event| {
            let Some(file) = event.target_dyn_into::<HtmlInputElement>().and_then(|input| input.files()).and_then(|files| files.get(0)) else {
                return;
            };
            let name = file.name();
            check.set(Check::Checking(name.clone()));
            let check = check.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = match read_file(file).await {
                    Ok(bytes) => api::verify::verify(&bytes).await.map_err(|e| e.to_string()),
                    Err(problem) => Err(problem),
                };
                check.set(match outcome {
                    Ok(result) => Check::Done(name, Box::new(result)),
                    Err(problem) => Check::Failed(problem),
                });
            });
        })
    };
    let body = match &*check {
        Check::Idle => html! {},
        Check::Checking(name) => html! { <p>{ format!("Checking {name}…") }</p> },
        Check::Failed(problem) => html! { <p class="error" id="verify-error">{ problem }</p> },
        Check::Done(name, result) => view_result(name, result),
    };
    html! {
        <>
            <h1>{ "Verify a video" }</h1>
            <p>{ "Every video Kino exports carries three marks: a signed C2PA manifest, an invisible watermark with the video's id, and the visible Kino mark. Choose an MP4 to check all three. The file is checked and then discarded." }</p>
            <section class="card">
                <label for="verify-file">{ "Video file (MP4)" }</label>
                <input id="verify-file" type="file" accept="video/mp4" {onchange} />
            </section>
            { body }
            <p class="hint">{ "This Kino signs under its own root certificate: " }<a href="/api/v1/c2pa/root.pem" download="kino-root.pem">{ "download it" }</a>{ " to verify files with any C2PA tool." }</p>
        </>
    }
}

fn view_result(name: &str, result: &VerifyResult) -> Html {
    let report = &result.report;
    let c2pa = match report.c2pa.state {
        C2paState::Trusted => "signed by this Kino, intact",
        C2paState::Valid => "signed and intact, but by a certificate this Kino does not know",
        C2paState::Invalid if report.c2pa.tampered => "TAMPERED: the file changed after it was signed",
        C2paState::Invalid => "present but not valid",
        C2paState::Missing => "no C2PA manifest",
    };
    let watermark = match (&report.watermark.video_id, &result.known_video_id) {
        (Some(_), Some(video)) => format!("found: video {video} of this Kino"),
        (Some(id), None) => format!("found: id {id}, not a video of this Kino"),
        (None, _) => "not found".to_owned(),
    };
    html! {
        <section class="card" id="verify-result">
            <h2>{ name }</h2>
            <dl class="facts">
                <dt>{ "C2PA manifest" }</dt><dd id="verify-c2pa" data-state={format!("{:?}", report.c2pa.state).to_lowercase()}>{ c2pa }</dd>
                if let Some(generator) = &report.c2pa.generator {
                    <dt>{ "Made with" }</dt><dd>{ generator }{ report.c2pa.model.as_ref().map(|m| format!(" ({m})")).unwrap_or_default() }</dd>
                }
                <dt>{ "Invisible watermark" }</dt><dd id="verify-watermark">{ watermark }</dd>
                <dt>{ "Visible mark" }</dt><dd id="verify-visible">{ if report.visible_mark { "present" } else { "not found" } }</dd>
            </dl>
        </section>
    }
}
