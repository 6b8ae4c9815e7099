//! `/`: what Kino is, whether the server is up, and the waitlist.

use yew::prelude::*;

use crate::components::{server_status::ServerStatus, waitlist_form::WaitlistForm};

#[function_component(HomePage)]
pub fn home_page() -> Html {
    html! {
        <>
            <section class="hero">
                <h1>{ "Make a video from a sentence." }</h1>
                <p>{ "Kino previews your video in your own browser on WebGPU within seconds, then makes the full-quality clip with synchronized sound on the server. Share it, remix others' clips, and appear in videos as yourself, only with your consent." }</p>
                <ServerStatus />
            </section>
            <WaitlistForm />
        </>
    }
}
