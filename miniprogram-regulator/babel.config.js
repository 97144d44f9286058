module.exports = require('../scripts/taro/babel-config.cjs');
