/// The page `retailsim explore` serves: `page/explore.html`, `explore.js` and
/// `explore.css` beside this file, embedded in the binary by SwiftPM
/// (`embedInCode` in Package.swift), so there is no network and no CDN, and
/// the page is real files to read, diff and lint. The script draws the map on
/// a canvas and the charts as SVG, and talks to the server over fetch and one
/// WebSocket a run (docs/EXPLORE.md).
enum ExplorePage {
    static let html = String(decoding: PackageResources.explore_html, as: UTF8.self)
    static let style = String(decoding: PackageResources.explore_css, as: UTF8.self)
    static let script = String(decoding: PackageResources.explore_js, as: UTF8.self)
}
