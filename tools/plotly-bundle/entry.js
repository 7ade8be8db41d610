// The plotly.js of Wmo-kaart's charts: the core (scatter, lines and cartesian axes) plus only the trace
// types our charts draw. The maps are Leaflet (docs/maps.md): no map trace types, no MapLibre.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'), // the coverage bar chart
    require('plotly.js/lib/histogram'), // the coverage histogram
    require('./locale-nl'), // Dutch modebar and number formats (config.locale = 'nl')
]);

module.exports = Plotly;
