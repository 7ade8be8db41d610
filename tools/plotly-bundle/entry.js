// The plotly.js of Wmo-kaart: the core (scatter and cartesian axes) plus only the trace types our
// pages draw. The full bundle is four times larger; see docs/embed.md for the figures.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/scattermap'), // the maps
    require('plotly.js/lib/choroplethmap'), // the coverage map
    require('plotly.js/lib/bar'), // the coverage bar chart
    require('plotly.js/lib/histogram'), // the coverage histogram
    require('./locale-nl'), // Dutch modebar and number formats (config.locale = 'nl')
]);

module.exports = Plotly;
