// plotly.js's Dutch locale, completed with the modebar and map texts it lacks (Pan, Zoom in, ...).
var nl = require('plotly.js/lib/locales/nl');

module.exports = {
    moduleType: 'locale',
    name: 'nl',
    dictionary: Object.assign({}, nl.dictionary, {
        'Pan': 'Verschuiven',
        'Zoom': 'Zoomen',
        'Zoom in': 'Inzoomen',
        'Zoom out': 'Uitzoomen',
        'Reset view': 'Beginbeeld',
        'Reset axes': 'Assen herstellen',
        'Autoscale': 'Automatisch schalen',
        'Box Select': 'Rechthoek selecteren',
        'Lasso Select': 'Lasso selecteren',
        'Toggle Spike Lines': 'Hulplijnen aan/uit',
        'Show closest data on hover': 'Dichtstbijzijnde gegevens tonen',
        'Compare data on hover': 'Gegevens vergelijken',
        'Download plot as a PNG': 'Download als PNG',
    }),
    format: nl.format,
};
