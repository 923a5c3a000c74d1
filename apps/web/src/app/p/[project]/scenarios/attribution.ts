import type { ScenarioKeyName } from './[key]/scenario-keys';

export interface Attribution {
  name: string;
  citation: string;
  url: string;
  changes: string;
}

/** The data sets the demos ship (CC BY 4.0: the attribution goes wherever they are used). */
export const ATTRIBUTIONS: Record<ScenarioKeyName, Attribution[]> = {
  medical: [
    {
      name: 'PneumoniaMNIST (MedMNIST v2)',
      citation: 'Yang et al., Scientific Data 10:41, 2023; images from Kermany et al., Cell 2018',
      url: 'https://medmnist.com/',
      changes: 'a class-balanced subset of the 28×28 images, written as MNIST IDX files',
    },
    {
      name: 'Heart Disease, Cleveland (UCI Machine Learning Repository, id 45)',
      citation: 'Janosi, Steinbrunn, Pfisterer, Detrano, 1988',
      url: 'https://archive.ics.uci.edu/dataset/45/heart+disease',
      changes: 'header line added',
    },
  ],
  security: [
    {
      name: 'Phishing Websites (UCI Machine Learning Repository, id 327)',
      citation: 'Mohammad, Thabtah, McCluskey, 2012/2014',
      url: 'https://archive.ics.uci.edu/dataset/327/phishing+websites',
      changes: 'header line added, line endings normalised',
    },
  ],
  finance: [
    {
      name: 'Default of Credit Card Clients (UCI Machine Learning Repository, id 350)',
      citation: 'Yeh & Lien, Expert Systems with Applications 36, 2009',
      url: 'https://archive.ics.uci.edu/dataset/350/default+of+credit+card+clients',
      changes: 'documented column names instead of X1..X23, line endings normalised',
    },
  ],
};
